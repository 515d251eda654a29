/**
 * The access policy: one pure function, `can(user, action, resource)`, decides every permission. The server
 * and the CLI ask it; nothing else grants access. docs/reference/access-policy.md shows its matrix
 * (generated from `accessMatrix()`, and a test keeps the two equal).
 *
 * Allocation concealment by construction: a resource carries no allocation (no arm), so no decision — and no
 * denial message — can depend on one.
 */

import { ROLES, type Role, type User } from './types.ts';

/** Everything a user can ask to do. */
export const ACTIONS = [
  'read_participant',
  'write_participant',
  'randomise',
  'view_allocation',
  'assign_peer_worker',
  'view_contacts',
  'log_contact',
  'withdraw_from_intervention',
  'record_follow_up',
  'report_sae',
  'view_sae',
  'emergency_unblind',
  'view_aggregate_by_arm',
  'view_audit',
  'view_audit_allocations',
  'export_blinded',
  'export_unblinded',
  'lock_database',
  'configure_trial',
  'manage_users',
  'manage_sites',
  'rate_fidelity',
  'fidelity_consensus',
  'export_fidelity',
  'manage_fidelity_index',
  'complete_wellbeing',
  'view_wellbeing_aggregate',
  'manage_wellbeing_norms',
  'export_wellbeing',
  'manage_recruitment_target',
  'close_wellbeing_collection',
] as const;
export type Action = (typeof ACTIONS)[number];

/** What each action means, in the words of the policy document. */
export const ACTION_DESCRIPTIONS: Readonly<Record<Action, string>> = {
  read_participant:
    'read a participant: screening, consent, baseline, discharge, interviews, service use (no allocation)',
  write_participant: 'enter or change screening, consent, baseline, discharge, withdrawal and death records',
  randomise: 'randomise an eligible, consented participant (the arm is not shown to blinded users)',
  view_allocation: "see a participant's arm",
  assign_peer_worker: 'assign a peer worker to a participant',
  view_contacts: 'see peer worker assignments and contacts (their existence reveals the arm)',
  log_contact: 'log a peer worker contact',
  withdraw_from_intervention:
    "record or correct a participant's withdrawal from the intervention only (its existence reveals the arm)",
  record_follow_up: 'record a follow-up interview or a service-use extraction (blinded outcome assessment)',
  report_sae: 'report a serious adverse event',
  view_sae: 'see serious adverse events (relatedness is hidden from blinded users)',
  emergency_unblind: "reveal one participant's arm in an emergency (reason required, audited)",
  view_aggregate_by_arm:
    'see summaries by arm (recruitment, retention, SAEs, outcomes) without participant rows',
  view_audit: 'read the audit trail (allocation values concealed)',
  view_audit_allocations: 'read allocation values in the audit trail',
  export_blinded: 'export the analysis dataset without arm and intervention-received columns',
  export_unblinded: 'export the full analysis dataset and the SAE file',
  lock_database: 'lock the database (no change accepted afterwards)',
  configure_trial: 'change the trial configuration (randomisation settings only before the first allocation)',
  manage_users: 'create users, set roles and sites',
  manage_sites: 'add a recruiting site to a trial (its code becomes a level of the site stratum)',
  rate_fidelity:
    "score a fidelity interview item by item (blind to the other rater's scores until one's own are submitted)",
  fidelity_consensus: 'see both ratings of a fidelity interview and enter the consensus score',
  export_fidelity: 'export the fidelity ratings file (every rater, consensus rows)',
  manage_fidelity_index:
    "edit the trial's fidelity index (item wording, anchors, items); a rated item cannot be removed or rescaled",
  complete_wellbeing:
    "complete one's own wellbeing questionnaires (T1, T2, T3); nobody else sees the answers",
  view_wellbeing_aggregate: 'see wellbeing questionnaire aggregates (never under 5 people, never one person)',
  manage_wellbeing_norms: 'set the population norms the wellbeing cohort is compared with',
  export_wellbeing:
    'export the wellbeing questionnaires with worker ids replaced by pseudonyms (audited; for enrich cohort)',
  manage_recruitment_target:
    "set the trial's recruitment target: total, start and end dates, per-site totals (reason on change)",
  close_wellbeing_collection:
    "close a wellbeing timepoint's questionnaire collection (final; only then are its aggregates shown)",
};

/** The trial as a whole (exports, audit, lock, configuration, users, summaries). */
export interface TrialResource {
  readonly kind: 'trial';
  readonly trialLocked: boolean;
}

/** One participant: the site and the peer workers assigned to them. Never the arm. */
export interface ParticipantResource {
  readonly kind: 'participant';
  readonly trialLocked: boolean;
  readonly site: string;
  /** Peer workers currently or ever assigned (user ids); the peer worker's caseload. */
  readonly peerWorkerIds: readonly string[];
}

export type Resource = TrialResource | ParticipantResource;

/** How far a role reaches among participants. */
type Scope = 'all' | 'own_sites' | 'own_caseload';

interface RoleRule {
  readonly scope: Scope;
  /** Allowed while the trial is open. */
  readonly open: readonly Action[];
  /** Allowed once the database is locked. */
  readonly locked: readonly Action[];
  /** Blinded to allocation while open / once locked. */
  readonly blindedOpen: boolean;
  readonly blindedLocked: boolean;
}

/** Actions that change trial data: refused after the lock for everyone. */
const WRITES: readonly Action[] = [
  'write_participant',
  'randomise',
  'assign_peer_worker',
  'log_contact',
  'withdraw_from_intervention',
  'record_follow_up',
  'report_sae',
  'emergency_unblind',
  'lock_database',
  'configure_trial',
  'manage_sites',
  'rate_fidelity',
  'fidelity_consensus',
  'manage_fidelity_index',
  'complete_wellbeing',
  'manage_wellbeing_norms',
  'manage_recruitment_target',
  'close_wellbeing_collection',
];

const PARTICIPANT_ACTIONS: readonly Action[] = [
  'read_participant',
  'write_participant',
  'randomise',
  'view_allocation',
  'assign_peer_worker',
  'view_contacts',
  'log_contact',
  'withdraw_from_intervention',
  'record_follow_up',
  'report_sae',
  'view_sae',
  'emergency_unblind',
];

const withoutWrites = (actions: readonly Action[]) => actions.filter((action) => !WRITES.includes(action));

/**
 * Actions kept from the administrator's "everything": the pseudonymised wellbeing export. With the audit
 * trail and user accounts, an administrator could tie pseudonyms back to peer workers; the statistician, who
 * sees neither, analyses the cohort.
 */
const CONFIDENTIAL_FROM_ADMIN: readonly Action[] = ['export_wellbeing'];
const ADMIN_ACTIONS = ACTIONS.filter((action) => !CONFIDENTIAL_FROM_ADMIN.includes(action));

const RULES: Readonly<Record<Role, RoleRule>> = {
  // The system administrator: every action but the wellbeing export, unblinded; after the lock, no change to
  // trial data.
  admin: {
    scope: 'all',
    open: ADMIN_ACTIONS,
    locked: withoutWrites(ADMIN_ACTIONS),
    blindedOpen: false,
    blindedLocked: false,
  },
  // Runs the trial day to day across sites, blinded until the lock; locks the database; may unblind one
  // participant in an emergency (the only path by which they learn an arm before the lock).
  trial_manager: {
    scope: 'all',
    open: [
      'read_participant',
      'write_participant',
      'randomise',
      'record_follow_up',
      'report_sae',
      'view_sae',
      'emergency_unblind',
      'view_audit',
      'export_blinded',
      'lock_database',
      'manage_sites',
      'fidelity_consensus',
      'export_fidelity',
      'manage_fidelity_index',
      'view_wellbeing_aggregate',
      'manage_wellbeing_norms',
      'manage_recruitment_target',
      'close_wellbeing_collection',
    ],
    locked: [
      'read_participant',
      'view_allocation',
      'view_contacts',
      'view_sae',
      'view_aggregate_by_arm',
      'view_audit',
      'view_audit_allocations',
      'export_blinded',
      'export_unblinded',
      'export_fidelity',
      'view_wellbeing_aggregate',
    ],
    blindedOpen: true,
    blindedLocked: false,
  },
  // Screens, consents, assesses and randomises at their own sites; blind to allocation throughout (outcome
  // assessors), so never sees contacts or assignments.
  researcher: {
    scope: 'own_sites',
    open: [
      'read_participant',
      'write_participant',
      'randomise',
      'record_follow_up',
      'report_sae',
      'view_sae',
      'rate_fidelity',
    ],
    locked: ['read_participant', 'view_sae'],
    blindedOpen: true,
    blindedLocked: true,
  },
  // Learns allocations at their own sites, assigns peer workers, oversees contacts and records withdrawals
  // from the intervention (peer support); records no outcomes.
  pw_coordinator: {
    scope: 'own_sites',
    open: [
      'read_participant',
      'view_allocation',
      'assign_peer_worker',
      'view_contacts',
      'log_contact',
      'withdraw_from_intervention',
      'report_sae',
      'view_sae',
      'view_wellbeing_aggregate',
    ],
    locked: ['read_participant', 'view_allocation', 'view_contacts', 'view_sae', 'view_wellbeing_aggregate'],
    blindedOpen: false,
    blindedLocked: false,
  },
  // Sees and logs contacts for their own caseload only.
  peer_worker: {
    scope: 'own_caseload',
    open: [
      'read_participant',
      'view_allocation',
      'view_contacts',
      'log_contact',
      'report_sae',
      'complete_wellbeing',
    ],
    locked: ['read_participant', 'view_allocation', 'view_contacts'],
    blindedOpen: false,
    blindedLocked: false,
  },
  // Blinded analysis work until the lock; then the unblinded export.
  statistician: {
    scope: 'all',
    open: ['export_blinded', 'export_fidelity', 'export_wellbeing'],
    locked: [
      'export_blinded',
      'export_unblinded',
      'view_aggregate_by_arm',
      'export_fidelity',
      'export_wellbeing',
    ],
    blindedOpen: true,
    blindedLocked: false,
  },
  // The data monitoring committee: unblinded summaries by arm, never participant rows.
  dmc: {
    scope: 'all',
    open: ['view_aggregate_by_arm'],
    locked: ['view_aggregate_by_arm'],
    blindedOpen: false,
    blindedLocked: false,
  },
};

function isRole(role: unknown): role is Role {
  return typeof role === 'string' && (ROLES as readonly string[]).includes(role);
}

function inScope(user: User, resource: ParticipantResource, scope: Scope): boolean {
  if (scope === 'all') return true;
  if (scope === 'own_sites') return Array.isArray(user.sites) && user.sites.includes(resource.site);
  return Array.isArray(resource.peerWorkerIds) && resource.peerWorkerIds.includes(user.userId);
}

/**
 * Whether `user` may do `action` on `resource`. Pure; decided by the role, the trial's lock, the user's sites
 * (researcher, pw_coordinator) or caseload (peer_worker). Participant actions need a participant resource
 * and trial actions a trial resource; anything unknown (role, action, resource kind) is refused.
 *
 * @example
 * can({ userId: 'u1', username: 'r', role: 'researcher', sites: ['site_1'] }, 'view_allocation',
 *   { kind: 'participant', trialLocked: false, site: 'site_1', peerWorkerIds: [] }); // false
 */
export function can(user: User, action: Action, resource: Resource): boolean {
  return denialOf(user, action, resource) === undefined;
}

/** Whether the user is blinded to allocation, given whether the trial is locked. */
export function isBlinded(user: Pick<User, 'role'>, trialLocked: boolean): boolean {
  if (!isRole(user.role)) return true;
  const rule = RULES[user.role];
  return trialLocked ? rule.blindedLocked : rule.blindedOpen;
}

type Denial = 'unknown' | 'role' | 'locked' | 'scope' | 'resource';

function denialOf(user: User, action: Action, resource: Resource): Denial | undefined {
  if (user === null || typeof user !== 'object' || !isRole(user.role)) return 'unknown';
  if (!(ACTIONS as readonly string[]).includes(action)) return 'unknown';
  if (resource === null || typeof resource !== 'object') return 'resource';
  const participantAction = PARTICIPANT_ACTIONS.includes(action);
  if (participantAction !== (resource.kind === 'participant')) return 'resource';
  if (resource.kind !== 'participant' && resource.kind !== 'trial') return 'resource';
  const rule = RULES[user.role];
  const locked = resource.trialLocked === true;
  const allowed = (locked ? rule.locked : rule.open).includes(action);
  if (!allowed) {
    if (locked && WRITES.includes(action) && rule.open.includes(action)) return 'locked';
    return 'role';
  }
  if (resource.kind === 'participant' && !inScope(user, resource, rule.scope)) return 'scope';
  return undefined;
}

const ROLE_WORDS: Readonly<Record<Role, string>> = {
  admin: 'an administrator',
  trial_manager: 'a trial manager',
  researcher: 'a researcher',
  pw_coordinator: 'a peer worker coordinator',
  peer_worker: 'a peer worker',
  statistician: 'a statistician',
  dmc: 'a data monitoring committee member',
};

/**
 * Why `can` refuses, in words safe for any user: it names the role, the action and the rule (role, lock,
 * site or caseload), never an allocation (the resource holds none); `undefined` when allowed.
 *
 * @example
 * explainDenial(researcher, 'view_allocation', participantAtOwnSite);
 * // 'view_allocation requires a role allowed to view allocation (got a researcher)'
 */
export function explainDenial(user: User, action: Action, resource: Resource): string | undefined {
  const denial = denialOf(user, action, resource);
  if (denial === undefined) return undefined;
  const words = String(action).replaceAll('_', ' ');
  switch (denial) {
    case 'unknown':
      return `${String(action)} requires a known role and action (got role ${JSON.stringify(user?.role)})`;
    case 'resource':
      return `${String(action)} requires a ${PARTICIPANT_ACTIONS.includes(action) ? 'participant' : 'trial'} (got ${JSON.stringify(resource?.kind)})`;
    case 'locked':
      return `${String(action)} requires an unlocked database (got a locked database: no change is accepted)`;
    case 'scope': {
      const rule = RULES[user.role];
      return rule.scope === 'own_caseload'
        ? `${String(action)} requires a participant on your caseload (got one who is not)`
        : `${String(action)} requires a participant at one of your sites (got site ${JSON.stringify((resource as ParticipantResource).site)})`;
    }
    case 'role': {
      const rule = RULES[user.role];
      const otherwise = resource.trialLocked ? rule.open : rule.locked;
      const when = otherwise.includes(action)
        ? resource.trialLocked
          ? ' before the lock'
          : ' after the lock'
        : '';
      return `${String(action)} requires a role allowed to ${words}${when} (got ${ROLE_WORDS[user.role]})`;
    }
  }
}

/** One cell of the access matrix: `yes`, `no`, or the conditions (`own sites`, `after lock` ...). */
export interface AccessMatrixRow {
  readonly action: Action;
  readonly cells: Readonly<Record<Role, string>>;
}

/**
 * The role × action matrix, computed by asking `can` about probe resources: a participant at the user's
 * site on their caseload, one at their site not on it, one at another site, and the trial; each open and
 * locked. A cell reads `yes`, `no`, or a scope (`own sites`, `own caseload`) and/or a lock condition
 * (`before lock`, `after lock`). docs/reference/access-policy.md prints it.
 *
 * @example
 * accessMatrix().find((row) => row.action === 'view_allocation')?.cells.researcher; // 'no'
 */
export function accessMatrix(): AccessMatrixRow[] {
  return ACTIONS.map((action) => {
    const cells = {} as Record<Role, string>;
    for (const role of ROLES) {
      const user: User = { userId: 'probe_user', username: 'probe', role, sites: ['site_own'] };
      const allowedAt = (trialLocked: boolean): Scope | 'none' => {
        if (!PARTICIPANT_ACTIONS.includes(action)) {
          return can(user, action, { kind: 'trial', trialLocked }) ? 'all' : 'none';
        }
        const probe = (site: string, peerWorkerIds: string[]) =>
          can(user, action, { kind: 'participant', trialLocked, site, peerWorkerIds });
        if (probe('site_other', [])) return 'all';
        if (probe('site_own', [])) return 'own_sites';
        if (probe('site_other', ['probe_user'])) return 'own_caseload';
        return 'none';
      };
      const open = allowedAt(false);
      const locked = allowedAt(true);
      cells[role] = describeCell(open, locked);
    }
    return { action, cells };
  });
}

function describeCell(open: Scope | 'none', locked: Scope | 'none'): string {
  const scopeWords = (scope: Scope) =>
    scope === 'all' ? '' : scope === 'own_sites' ? 'own sites' : 'own caseload';
  const join = (...parts: string[]) => parts.filter((part) => part !== '').join(', ') || 'yes';
  if (open === 'none' && locked === 'none') return 'no';
  if (open === locked) return join(scopeWords(open as Scope));
  if (locked === 'none') return join(scopeWords(open as Scope), 'before lock');
  if (open === 'none') return join(scopeWords(locked), 'after lock');
  return `${join(scopeWords(open))} before lock; ${join(scopeWords(locked))} after lock`;
}

/**
 * The matrix as the Markdown table of docs/reference/access-policy.md (header: action, then each role).
 *
 * @example
 * formatAccessMatrixMarkdown().split('\n')[0]; // '| action | admin | trial_manager | ... |'
 */
export function formatAccessMatrixMarkdown(): string {
  const header = ['action', ...ROLES];
  const rows = accessMatrix().map((row) => [`\`${row.action}\``, ...ROLES.map((role) => row.cells[role])]);
  const widths = header.map((title, column) =>
    Math.max(title.length, 3, ...rows.map((row) => (row[column] as string).length)),
  );
  const line = (cells: readonly string[]) =>
    `| ${cells.map((cell, column) => cell.padEnd(widths[column] as number)).join(' | ')} |`;
  return [line(header), line(widths.map((width) => '-'.repeat(width))), ...rows.map(line)].join('\n');
}
