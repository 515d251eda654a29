/** Words for codes the API uses (never an arm: blinded screens have no arm to label). */
import type { Role } from './api.ts';

export const ROLE_LABELS: Readonly<Record<Role, string>> = {
  admin: 'Administrator',
  trial_manager: 'Trial manager',
  researcher: 'Researcher',
  pw_coordinator: 'Peer worker coordinator',
  peer_worker: 'Peer worker',
  statistician: 'Statistician',
  dmc: 'Data monitoring committee',
};

export const STATUS_LABELS: Readonly<Record<string, string>> = {
  eligible: 'Awaiting randomisation',
  randomised: 'Randomised',
  not_eligible: 'Not eligible',
  declined: 'Declined',
  pending: 'Awaiting randomisation',
};

/** A code as words: `not_eligible` -> `Not eligible`. */
export function humanise(code: string | null | undefined): string {
  if (code === null || code === undefined || code === '') return '—';
  const words = code.replaceAll('_', ' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** An ISO date or timestamp as `12 Mar 2024`. */
export function formatDate(value: string | null | undefined): string {
  if (value === null || value === undefined || value === '') return '—';
  const date = new Date(value.length === 10 ? `${value}T00:00:00Z` : value);
  if (Number.isNaN(date.getTime())) return value;
  // Non-breaking spaces keep a date on one line in narrow table cells.
  return date
    .toLocaleDateString('en-GB', { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' })
    .replaceAll(' ', '\u00a0');
}

/** Today as YYYY-MM-DD (the user's calendar). */
export function today(): string {
  const now = new Date();
  const offset = now.getTimezoneOffset() * 60_000;
  return new Date(now.getTime() - offset).toISOString().slice(0, 10);
}
