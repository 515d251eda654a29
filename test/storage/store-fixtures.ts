import type { ConsentRecord, ScreeningLogEntry, StoreActor, TrialConfig } from '../../src/trial/index.ts';
import { ENRICH_TRIAL_CONFIG } from '../../src/trial/index.ts';

/** The ENRICH template's configuration: 7 sites x 3 diagnosis groups, blocks of 2, 4, 6, ENRICH eligibility. */
export const TEST_CONFIG: TrialConfig = ENRICH_TRIAL_CONFIG;

export const ADMIN: StoreActor = { userId: 'admin-1', role: 'admin' };
export const MANAGER: StoreActor = { userId: 'manager-1', role: 'trial_manager' };
export const RESEARCHER: StoreActor = { userId: 'researcher-1', role: 'researcher' };

/** A pending screening entry at `site`. */
export function screening(trialId: string, screeningId: string, site = 'site_1'): ScreeningLogEntry {
  return {
    screeningId,
    trialId,
    site,
    screenedDate: '2024-03-01',
    screenedBy: RESEARCHER.userId,
    criteria: {
      ageYears: 40,
      admissionsPrior2y: 2,
      organicMentalDisorder: false,
      primaryDiagnosis: 'psychosis',
    },
    outcome: 'pending',
  };
}

/** Written consent for a screening entry. */
export function consent(screeningId: string): ConsentRecord {
  return {
    screeningId,
    consentDate: '2024-03-02',
    consentFormVersion: '2.1',
    takenBy: RESEARCHER.userId,
    recordsAccess: true,
    recordsAfterWithdrawal: true,
  };
}

/** A clock that advances one second per reading, from 2024-03-01T09:00:00Z. */
export function steppingClock(): () => Date {
  let tick = 0;
  return () => new Date(Date.UTC(2024, 2, 1, 9, 0, tick++));
}
