import {
  ENRICH_TRIAL_CONFIG,
  evaluateEligibility,
  type InstrumentDefinition,
  type InstrumentResponses,
  type RandomSource,
  RECRUITMENT_TARGET_RECORD_ID,
  type Role,
  randomBelow,
  type ScreeningLogEntry,
  type ServiceUseEvent,
  type StoreActor,
  type TrialConfig,
  type TrialStore,
} from '../trial/index.ts';

/** The demo trial's id. */
export const DEMO_TRIAL_ID = 'enrich-demo';

/** One demo account per role (fixed passwords: the demo database is for trying enrich out, never for data). */
export const DEMO_ACCOUNTS: readonly {
  readonly username: string;
  readonly password: string;
  readonly role: Role;
  readonly sites: readonly string[];
}[] = [
  { username: 'admin', password: 'demo-admin', role: 'admin', sites: [] },
  { username: 'manager', password: 'demo-manager', role: 'trial_manager', sites: [] },
  { username: 'researcher', password: 'demo-researcher', role: 'researcher', sites: ['site_1'] },
  { username: 'coordinator', password: 'demo-coordinator', role: 'pw_coordinator', sites: ['site_1'] },
  { username: 'peerworker', password: 'demo-peerworker', role: 'peer_worker', sites: ['site_1'] },
  { username: 'statistician', password: 'demo-statistician', role: 'statistician', sites: [] },
  { username: 'dmc', password: 'demo-dmc', role: 'dmc', sites: [] },
];

/** The demo's sites; their peer workers' employers differ, as the fidelity analysis compares NHS and voluntary. */
const DEMO_SITES = [
  { siteId: 'site_1', name: 'North London', employerType: 'nhs' },
  { siteId: 'site_2', name: 'West Midlands', employerType: 'voluntary' },
  { siteId: 'site_3', name: 'Yorkshire', employerType: 'nhs' },
] as const;

/** People screened in the demo (some not eligible, some declining, the last two awaiting randomisation). */
export const DEMO_SCREENED = 80;

/** The demo trial's age: recruitment started this many days before the day the demo is made (about 22 months). */
export const DEMO_TRIAL_AGE_DAYS = 670;

/** Days over which the demo screens people (about 16 months: recruitment ended about 6 months before today). */
const RECRUITMENT_DAYS = 480;

const DAY = 86_400_000;
const iso = (time: number) => new Date(time).toISOString().slice(0, 10);

function pick<T>(random: RandomSource, items: readonly T[]): T {
  return items[randomBelow(random, items.length)] as T;
}

/** Plausible answers to every item of the instruments (uniform within each item's range). */
function responsesFor(
  random: RandomSource,
  instruments: readonly InstrumentDefinition[],
): InstrumentResponses {
  const responses: Record<string, Record<string, number>> = {};
  for (const instrument of instruments) {
    const answers: Record<string, number> = {};
    for (const item of instrument.items) {
      const minimum = item.minimum ?? instrument.minimum;
      const maximum = item.maximum ?? instrument.maximum;
      answers[item.id] = minimum + randomBelow(random, maximum - minimum + 1);
    }
    responses[instrument.id] = answers;
  }
  return responses;
}

/**
 * Fills an empty store with an ENRICH-style trial for `enrich serve --demo`, old enough to analyse: one
 * account per role ({@link DEMO_ACCOUNTS}), three sites, a recruitment target (72 over 20 months, 24 per
 * site), {@link DEMO_SCREENED} people screened over about 19 months from {@link DEMO_TRIAL_AGE_DAYS} days
 * before `today` (some not eligible or declining, two awaiting randomisation), the rest randomised through
 * the real engine, with baselines, discharges, peer worker assignments and contacts in the peer support arm,
 * 4-month interviews when due (a few outside their window: the protocol deviations listing shows them), the
 * 12-month service-use extraction from patient records for everyone discharged more than a year ago (admissions,
 * crisis, liaison and community team contacts; a few with records unavailable), and a serious adverse event.
 * About two in five participants have 12-month outcomes, so after the lock the in-app analysis report has
 * data to analyse. `today` is the day the trial has reached. Each record is written when it happened:
 * `setClock(time)` moves the store's clock there first (screening, consent, randomisation and baseline in
 * screening order, then every later event in date order), so the audit trail reads in time order and
 * randomisation dates fall on the screening days. The data are made up (a seeded random source).
 *
 * @example
 * let now = 0;
 * const store = await openTrialStore(target, { now: () => new Date(now), random, migrate: true });
 * await seedDemoTrial(store, createSeededRandom(2024), Date.UTC(2024, 9, 1), (time) => { now = time; });
 */
export async function seedDemoTrial(
  store: TrialStore,
  random: RandomSource,
  today: number,
  setClock: (time: number) => void,
): Promise<void> {
  const system: StoreActor = { userId: 'system', role: 'admin' };
  const start = today - DEMO_TRIAL_AGE_DAYS * DAY;
  setClock(start - 7 * DAY);
  /** Later events, written in date order after every screening. */
  const events: { time: number; order: number; write: () => Promise<unknown> }[] = [];
  // The accounts are made together: their password hashes (scrypt) take most of the time.
  const created = await Promise.all(
    DEMO_ACCOUNTS.map((account) =>
      store.createUser(
        { username: account.username, password: account.password, role: account.role, sites: account.sites },
        { actor: system, reason: 'enrich serve --demo' },
      ),
    ),
  );
  const users = new Map(created.map((user) => [user.username, user.userId]));
  const admin: StoreActor = { userId: users.get('admin') as string, role: 'admin' };
  const manager: StoreActor = { userId: users.get('manager') as string, role: 'trial_manager' };
  const researcher: StoreActor = { userId: users.get('researcher') as string, role: 'researcher' };
  const coordinator: StoreActor = { userId: users.get('coordinator') as string, role: 'pw_coordinator' };
  const peerWorkerId = users.get('peerworker') as string;
  const config: TrialConfig = {
    ...ENRICH_TRIAL_CONFIG,
    name: DEMO_TRIAL_ID,
    title: 'ENRICH demo: peer support for discharge from psychiatric hospital (made-up data)',
    factors: ENRICH_TRIAL_CONFIG.factors.map((factor) =>
      factor.name === 'site' ? { ...factor, levels: DEMO_SITES.map((site) => site.siteId) } : factor,
    ),
  };
  await store.createTrial(DEMO_TRIAL_ID, config, { actor: admin, reason: 'demo trial' });
  for (const site of DEMO_SITES) await store.createSite(DEMO_TRIAL_ID, site, { actor: admin });
  await store.saveRecord(
    DEMO_TRIAL_ID,
    'recruitment_target',
    {
      targetId: RECRUITMENT_TARGET_RECORD_ID,
      total: 72,
      startDate: iso(start),
      endDate: iso(start + 500 * DAY),
      sites: DEMO_SITES.map((site) => ({ siteId: site.siteId, total: 24 })),
    },
    { actor: manager },
  );

  const baselineInstruments = config.instruments.filter((instrument) =>
    config.baselineInstruments.includes(instrument.id),
  );
  const interviewVisit = config.visits.find((visit) => visit.kind === 'interview');
  const recordsVisit = config.visits.find((visit) => visit.kind === 'records');
  let interviews = 0;
  for (let index = 0; index < DEMO_SCREENED; index++) {
    const screeningId = `S-DEMO${String(index + 1).padStart(4, '0')}`;
    const site = DEMO_SITES[index % DEMO_SITES.length]?.siteId as string;
    const screenedTime = start + Math.floor((index * RECRUITMENT_DAYS * DAY) / DEMO_SCREENED);
    const group = pick(random, ['psychosis', 'personality', 'other'] as const);
    const notEligible = index % 10 === 3;
    const declined = index % 10 === 7;
    const criteria = {
      ageYears: notEligible ? 17 : 19 + randomBelow(random, 50),
      admissionsPrior2y: 1 + randomBelow(random, 4),
      organicMentalDisorder: false,
      primaryDiagnosis:
        group === 'psychosis' ? 'psychosis' : group === 'personality' ? 'personality_disorder' : 'depression',
      diagnosisGroup: group,
      gender: pick(random, ['female', 'male', 'other'] as const),
      ethnicity: pick(random, ['Asian', 'Black', 'Mixed', 'White', 'Other'] as const),
      firstLanguage: pick(random, ['English', 'English', 'English', 'Other'] as const),
      detainedAtIndex: randomBelow(random, 3) === 0,
    } as const;
    const screening: ScreeningLogEntry = {
      screeningId,
      trialId: DEMO_TRIAL_ID,
      site,
      screenedDate: iso(screenedTime),
      screenedBy: researcher.userId,
      criteria,
      outcome: notEligible ? 'not_eligible' : declined ? 'declined' : 'pending',
      ...(notEligible
        ? {
            ineligibilityReasons: evaluateEligibility(config, { criteria }).reasons.map(
              (reason) => reason.ruleId,
            ),
          }
        : {}),
      ...(declined ? { outcomeDetail: 'did not want to take part' } : {}),
    };
    const records: { kind: 'screening' | 'consent'; record: unknown }[] = [
      { kind: 'screening', record: screening },
    ];
    if (!notEligible && !declined) {
      records.push({
        kind: 'consent',
        record: {
          screeningId,
          consentDate: iso(screenedTime),
          consentFormVersion: '2.1',
          takenBy: researcher.userId,
          recordsAccess: true,
          recordsAfterWithdrawal: true,
        },
      });
    }
    // Screening, consent, baseline and randomisation happen on the same ward visit, in that order.
    setClock(screenedTime + 10 * 3_600_000);
    await store.saveRecords(DEMO_TRIAL_ID, records, { actor: researcher });
    // The last eligible people are still awaiting randomisation.
    if (notEligible || declined || index >= DEMO_SCREENED - 3) continue;
    setClock(screenedTime + 14 * 3_600_000);
    const allocation = await store.randomise(
      { trialId: DEMO_TRIAL_ID, screeningId, strata: { site, diagnosis_group: group } },
      researcher,
    );
    const participantId = allocation.participantId;
    const peerSupport = allocation.arm === 'peer_support';
    const later = (time: number, write: () => Promise<unknown>) =>
      events.push({ time, order: events.length, write });
    const admitted = screenedTime - (10 + randomBelow(random, 20)) * DAY;
    await store.saveRecord(
      DEMO_TRIAL_ID,
      'baseline',
      {
        participantId,
        assessmentDate: iso(screenedTime),
        assessedBy: researcher.userId,
        ageYears: criteria.ageYears,
        gender: criteria.gender,
        ethnicity: criteria.ethnicity,
        firstLanguage: criteria.firstLanguage,
        admissionsPrior2y: criteria.admissionsPrior2y,
        detainedAtIndex: criteria.detainedAtIndex,
        indexAdmissionDate: iso(admitted),
        responses: responsesFor(random, baselineInstruments),
      },
      { actor: researcher },
    );
    const dischargeTime = screenedTime + (7 + randomBelow(random, 21)) * DAY;
    if (dischargeTime >= today) continue;
    later(dischargeTime, () =>
      store.saveRecord(
        DEMO_TRIAL_ID,
        'discharge',
        { participantId, dischargeDate: iso(dischargeTime), recordedBy: researcher.userId },
        { actor: researcher },
      ),
    );
    if (peerSupport) {
      later(screenedTime + 2 * DAY, () =>
        store.saveRecord(
          DEMO_TRIAL_ID,
          'assignment',
          {
            assignmentId: `${participantId}-A1`,
            participantId,
            peerWorkerId,
            startDate: iso(screenedTime + 2 * DAY),
          },
          { actor: coordinator },
        ),
      );
      const contacts = 1 + randomBelow(random, 7);
      for (let contact = 0; contact < contacts; contact++) {
        const contactTime = contact === 0 ? dischargeTime - DAY : dischargeTime + contact * 7 * DAY;
        if (contactTime >= today) break;
        const after = contactTime > dischargeTime;
        const setting = after ? pick(random, ['home', 'community_venue', 'remote'] as const) : 'ward';
        const mode = after ? pick(random, ['face_to_face', 'telephone'] as const) : 'face_to_face';
        const minutes = 20 + randomBelow(random, 70);
        const activity = pick(random, ['practical_help', 'recovery_goals', 'social_activities'] as const);
        later(contactTime + 3_600_000, () =>
          store.saveRecord(
            DEMO_TRIAL_ID,
            'contact',
            {
              contactId: `${participantId}-C${contact + 1}`,
              participantId,
              peerWorkerId,
              contactDate: iso(contactTime),
              phase: after ? 'after_discharge' : 'before_discharge',
              setting,
              mode,
              minutes,
              activities: after ? [activity] : ['getting_to_know', 'sharing_lived_experience'],
            },
            { actor: coordinator },
          ),
        );
      }
    }
    if (interviewVisit !== undefined) {
      const target = dischargeTime + interviewVisit.targetDaysAfterDischarge * DAY;
      // Most interviews fall within the window (14 days before to 56 after the target); now and then one is
      // late or early, as happens in a trial (the protocol deviations listing shows them).
      const count = interviews++;
      const offset =
        count % 9 === 4
          ? interviewVisit.windowAfterDays + 4 + randomBelow(random, 15)
          : count % 15 === 7
            ? -interviewVisit.windowBeforeDays - 3 - randomBelow(random, 5)
            : randomBelow(random, 28) - 7;
      const interviewTime = target + offset * DAY;
      const completed = randomBelow(random, 5) !== 0;
      const responses = responsesFor(
        random,
        config.instruments.filter((instrument) => interviewVisit.instruments.includes(instrument.id)),
      );
      if (interviewTime < today) {
        later(interviewTime, () =>
          store.saveRecord(
            DEMO_TRIAL_ID,
            'interview',
            completed
              ? {
                  participantId,
                  visitId: interviewVisit.id,
                  status: 'completed',
                  interviewDate: iso(interviewTime),
                  interviewerId: researcher.userId,
                  responses,
                }
              : {
                  participantId,
                  visitId: interviewVisit.id,
                  status: 'not_completed',
                  interviewerId: researcher.userId,
                  notCompletedReason: 'not_contactable',
                  responses: {},
                },
            { actor: researcher },
          ),
        );
      }
    }
    if (recordsVisit !== undefined) {
      // The 12-month extraction from patient records, a few weeks into its window: the review and the
      // events found are entered together. Made-up effect: fewer readmissions with peer support.
      const reviewTime =
        dischargeTime + (recordsVisit.targetDaysAfterDischarge + 5 + randomBelow(random, 40)) * DAY;
      const recordsAvailable = randomBelow(random, 12) !== 0;
      const found: ServiceUseEvent[] = [];
      const date = (days: number) => iso(dischargeTime + days * DAY);
      if (recordsAvailable) {
        if (randomBelow(random, 100) < (peerSupport ? 36 : 50)) {
          const admittedOn = 15 + randomBelow(random, 300);
          found.push({
            kind: 'admission',
            eventId: `${participantId}-E1`,
            participantId,
            admissionDate: date(admittedOn),
            dischargeDate: date(admittedOn + 5 + randomBelow(random, 45)),
            legalStatus: randomBelow(random, 3) === 0 ? 'involuntary' : 'voluntary',
          });
        }
        const contactEvents = [
          ['crisis_team', 45, 6],
          ['liaison', 25, 2],
          ['community_team', 85, 12],
        ] as const;
        for (const [kind, percent, most] of contactEvents) {
          if (randomBelow(random, 100) >= percent) continue;
          found.push({
            kind,
            eventId: `${participantId}-E${found.length + 1}`,
            participantId,
            date: date(20 + randomBelow(random, 330)),
            contacts: 1 + randomBelow(random, most),
          });
        }
      }
      if (reviewTime < today) {
        later(reviewTime, () =>
          store.saveRecords(
            DEMO_TRIAL_ID,
            [
              {
                kind: 'service_use_review',
                record: {
                  participantId,
                  visitId: recordsVisit.id,
                  reviewDate: iso(reviewTime),
                  reviewerId: researcher.userId,
                  recordsAvailable,
                },
              },
              ...found.map((event) => ({ kind: 'service_use' as const, record: event })),
            ],
            { actor: researcher },
          ),
        );
      }
    }
    if (index === 5) {
      later(dischargeTime + 42 * DAY, () =>
        store.saveRecord(
          DEMO_TRIAL_ID,
          'sae',
          {
            saeId: `${participantId}-SAE1`,
            participantId,
            category: 'hospitalisation',
            onsetDate: iso(dischargeTime + 40 * DAY),
            reportedDate: iso(dischargeTime + 42 * DAY),
            reportedBy: researcher.userId,
            description: 'Readmitted to an acute ward after a crisis',
            seriousness: ['hospitalisation'],
            relatedness: 'not_related',
            expectedness: 'expected',
            outcome: 'resolved',
          },
          { actor: researcher },
        ),
      );
    }
  }
  events.sort((left, right) => left.time - right.time || left.order - right.order);
  for (const event of events) {
    if (event.time >= today) continue;
    setClock(event.time + 12 * 3_600_000);
    await event.write();
  }
  setClock(today);
}
