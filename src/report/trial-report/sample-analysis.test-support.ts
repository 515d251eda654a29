/**
 * A complete `TrialAnalysis` for rendering tests and screenshots: the headline numbers of the seed
 * trial's published summary (590 randomised; 136/287 vs 146/291 readmitted; OR 0.93; RR 0.97; CACE RR 0.88;
 * Black participants OR 0.40, interaction p 0.0305; 67 SAEs in 51 participants, 12 deaths, 1 related),
 * the rest invented but plausible. These are inputs to the renderer, not expected statistical results:
 * the tests check that the report shows exactly these values, formatted.
 */
import type { TrialAnalysis } from '../../analysis/trial-analysis-types.ts';
import { kaplanMeier } from '../../stats/index.ts';

/** A small deterministic generator (no statistics depend on it; it only shapes the sample curves). */
function lcg(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 4294967296;
  };
}

function sampleCurves(): TrialAnalysis['secondary']['timeToReadmission']['curves'] {
  const random = lcg(7);
  const arms = [
    { arm: 'usual_care', n: 291, hazard: 0.69 / 365 },
    { arm: 'peer_support', n: 287, hazard: 0.64 / 365 },
  ];
  return arms.map(({ arm, n, hazard }) => {
    const time = new Float64Array(n);
    const event = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const eventTime = Math.max(1, Math.ceil(-Math.log(1 - random()) / hazard));
      const dropOut = random() < 0.06 ? Math.ceil(random() * 365) : 365;
      time[i] = Math.min(eventTime, dropOut);
      event[i] = eventTime <= dropOut ? 1 : 0;
    }
    const stratum = kaplanMeier({ time, event }).strata[0];
    if (stratum === undefined) throw new Error('sample curve');
    return {
      arm,
      n: stratum.n,
      events: stratum.events,
      median: stratum.median,
      medianCiLower: stratum.medianCiLower,
      medianCiUpper: stratum.medianCiUpper,
      points: stratum.table.map(({ time: t, nRisk, nEvent, nCensor, survival, ciLower, ciUpper }) => ({
        time: t,
        nRisk,
        nEvent,
        nCensor,
        survival,
        ciLower,
        ciUpper,
      })),
    };
  });
}

const meanSd = (n: number, mean: number | null, sd: number | null) => ({ n, mean, sd });
const countPercent = (count: number, denominator: number) => ({
  count,
  denominator,
  percent: denominator > 0 ? (100 * count) / denominator : null,
});

/** The sample analysis (a fresh object each call, so tests may modify it). */
export function sampleTrialAnalysis(): TrialAnalysis {
  const curves = sampleCurves();
  return {
    methods: {
      plan: {
        covariates: ['site', 'diagnosis_group', 'admissions_prior_2y'],
        primaryOutcome: 'readmitted_12m',
        subgroups: [
          {
            name: 'ethnicity_black',
            variable: 'ethnicity',
            label: 'Ethnicity',
            split: { values: ['Black'], levels: ['Black', 'Other ethnicity'] },
          },
          { name: 'diagnosis_group', variable: 'diagnosis_group', label: 'Primary diagnosis' },
          { name: 'first_language', variable: 'first_language', label: 'First language' },
        ],
        countOutcomes: [
          'admissions_total_12m',
          'admissions_voluntary_12m',
          'admissions_involuntary_12m',
          'bed_days_12m',
          'crisis_contacts_12m',
          'liaison_contacts_12m',
        ],
        fourMonthScales: ['symptoms', 'quality_of_life', 'social_inclusion', 'hope', 'social_network'],
        timeToEvent: { time: 'days_to_readmission', event: 'readmission_event' },
        bootstrapResamples: 1000,
        seed: 1,
        confidenceLevel: 0.95,
      },
      enrichVersion: '0.1.0',
      inputFile: 'trial.csv',
      inputSha256: '3f7a1c9e0b5d4e2f8a6c1b3d5e7f9a0b2c4d6e8f1a3b5c7d9e0f2a4b6c8d0e1f',
      saeFile: 'sae.csv',
      saeSha256: 'a0b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5e6f7a8b9c0d1e2f3a4b5c6d7e8f9a0b1',
      runDate: '2025-03-14T10:00:00Z',
      armLevels: ['usual_care', 'peer_support'],
      models: [
        {
          name: 'primary_or',
          description:
            'glm(readmitted_12m ~ arm + site + diagnosis_group + admissions_prior_2y, family = binomial)',
        },
      ],
    },
    consort: {
      randomised: 590,
      byArm: {
        usual_care: {
          randomised: 296,
          analysedPrimary: 291,
          fourMonthFollowUp: 160,
          withdrawn: 4,
          died: 6,
          missingPrimary: 5,
        },
        peer_support: {
          randomised: 294,
          analysedPrimary: 287,
          fourMonthFollowUp: 147,
          withdrawn: 6,
          died: 6,
          missingPrimary: 7,
        },
      },
    },
    baseline: [
      {
        kind: 'continuous',
        variable: 'age',
        label: 'Age, years',
        byArm: { usual_care: meanSd(296, 39.8, 12.9), peer_support: meanSd(294, 40.6, 13.4) },
        missing: { usual_care: 0, peer_support: 0 },
      },
      {
        kind: 'categorical',
        variable: 'gender',
        label: 'Gender',
        levels: [
          {
            level: 'female',
            byArm: { usual_care: countPercent(141, 296), peer_support: countPercent(139, 294) },
          },
          {
            level: 'male',
            byArm: { usual_care: countPercent(151, 296), peer_support: countPercent(150, 294) },
          },
          { level: 'other', byArm: { usual_care: countPercent(4, 296), peer_support: countPercent(5, 294) } },
        ],
        missing: { usual_care: 0, peer_support: 0 },
      },
      {
        kind: 'categorical',
        variable: 'ethnicity',
        label: 'Ethnicity',
        levels: [
          {
            level: 'Asian',
            byArm: { usual_care: countPercent(31, 296), peer_support: countPercent(29, 294) },
          },
          {
            level: 'Black',
            byArm: { usual_care: countPercent(52, 296), peer_support: countPercent(50, 294) },
          },
          {
            level: 'Mixed',
            byArm: { usual_care: countPercent(17, 296), peer_support: countPercent(15, 294) },
          },
          {
            level: 'White',
            byArm: { usual_care: countPercent(183, 296), peer_support: countPercent(187, 294) },
          },
          {
            level: 'Other',
            byArm: { usual_care: countPercent(13, 296), peer_support: countPercent(13, 294) },
          },
        ],
        missing: { usual_care: 0, peer_support: 0 },
      },
      {
        kind: 'categorical',
        variable: 'diagnosis_group',
        label: 'Primary diagnosis',
        levels: [
          {
            level: 'other',
            byArm: { usual_care: countPercent(73, 296), peer_support: countPercent(72, 294) },
          },
          {
            level: 'personality',
            byArm: { usual_care: countPercent(62, 296), peer_support: countPercent(61, 294) },
          },
          {
            level: 'psychosis',
            byArm: { usual_care: countPercent(161, 296), peer_support: countPercent(161, 294) },
          },
        ],
        missing: { usual_care: 0, peer_support: 0 },
      },
      {
        kind: 'continuous',
        variable: 'admissions_prior_2y',
        label: 'Admissions in the previous 2 years',
        byArm: { usual_care: meanSd(296, 2.3, 1.6), peer_support: meanSd(294, 2.4, 1.8) },
        missing: { usual_care: 0, peer_support: 0 },
      },
      {
        kind: 'continuous',
        variable: 'symptoms_baseline',
        label: 'Psychiatric symptoms',
        byArm: { usual_care: meanSd(290, 49.7, 14.2), peer_support: meanSd(291, 50.3, 13.8) },
        missing: { usual_care: 6, peer_support: 3 },
      },
    ],
    primary: {
      outcome: 'readmitted_12m',
      n: { usual_care: 291, peer_support: 287 },
      events: { usual_care: 146, peer_support: 136 },
      percent: { usual_care: (100 * 146) / 291, peer_support: (100 * 136) / 287 },
      missing: 12,
      nModel: 578,
      riskDifference: { estimate: 136 / 287 - 146 / 291, ciLower: -0.1094, ciUpper: 0.053, pValue: 0.4955 },
      oddsRatio: { estimate: 0.9312, ciLower: 0.6634, ciUpper: 1.3034, pValue: 0.6777 },
      riskRatio: { estimate: 0.9687, ciLower: 0.8213, ciUpper: 1.1425, pValue: 0.7052 },
      warnings: [],
    },
    cace: {
      riskRatio: { estimate: 0.8813, ciLower: 0.7604, ciUpper: 0.9936 },
      n: 549,
      compliers: 156,
      compliersByArm: { usual_care: 0, peer_support: 156 },
      notAssessable: 26,
      otherMissing: 15,
      logRiskRatio: Math.log(0.8813),
      bootstrap: {
        resamples: 1000,
        seed: 1,
        strata: [
          { level: 'usual_care', n: 285 },
          { level: 'peer_support', n: 264 },
        ],
        biasCorrection: 0.0213,
        acceleration: -0.0041,
        failedResamples: 0,
        logCiLower: Math.log(0.7604),
        logCiUpper: Math.log(0.9936),
      },
      warnings: ['stage 1: fitted probabilities numerically 0 or 1 occurred'],
    },
    subgroups: [
      {
        variable: 'ethnicity_black',
        label: 'Ethnicity',
        interactionPValue: 0.0305,
        interactionChisq: 4.68,
        interactionDf: 1,
        levels: [
          {
            level: 'Black',
            n: { usual_care: 50, peer_support: 48 },
            events: { usual_care: 29, peer_support: 17 },
            oddsRatio: { estimate: 0.4, ciLower: 0.17, ciUpper: 0.94, pValue: 0.036 },
          },
          {
            level: 'Other ethnicity',
            n: { usual_care: 241, peer_support: 239 },
            events: { usual_care: 117, peer_support: 119 },
            oddsRatio: { estimate: 1.12, ciLower: 0.77, ciUpper: 1.63, pValue: 0.55 },
          },
        ],
        missing: 0,
        warnings: [],
      },
      {
        variable: 'diagnosis_group',
        label: 'Primary diagnosis',
        interactionPValue: 0.4121,
        interactionChisq: 1.77,
        interactionDf: 2,
        levels: [
          {
            level: 'other',
            n: { usual_care: 72, peer_support: 70 },
            events: { usual_care: 33, peer_support: 29 },
            oddsRatio: { estimate: 0.81, ciLower: 0.41, ciUpper: 1.58, pValue: 0.53 },
          },
          {
            level: 'personality',
            n: { usual_care: 61, peer_support: 59 },
            events: { usual_care: 34, peer_support: 26 },
            oddsRatio: { estimate: 0.62, ciLower: 0.29, ciUpper: 1.31, pValue: 0.21 },
          },
          {
            level: 'psychosis',
            n: { usual_care: 158, peer_support: 158 },
            events: { usual_care: 79, peer_support: 81 },
            oddsRatio: { estimate: 1.06, ciLower: 0.68, ciUpper: 1.65, pValue: 0.8 },
          },
        ],
        missing: 0,
        warnings: [],
      },
      {
        variable: 'first_language',
        label: 'First language',
        interactionPValue: 0.0008,
        interactionChisq: 11.2,
        interactionDf: 1,
        levels: [
          {
            level: 'English',
            n: { usual_care: 250, peer_support: 247 },
            events: { usual_care: 124, peer_support: 118 },
            oddsRatio: { estimate: 0.93, ciLower: 0.65, ciUpper: 1.32, pValue: 0.68 },
          },
          {
            level: 'Other',
            n: { usual_care: 41, peer_support: 40 },
            events: { usual_care: 22, peer_support: 18 },
            oddsRatio: { estimate: 0.7, ciLower: 0.28, ciUpper: 1.73, pValue: 0.44 },
          },
        ],
        missing: 0,
        warnings: [],
      },
    ],
    secondary: {
      counts: [
        ['admissions_total_12m', 1.1, 1.5, 1.0, 1.4, 0.92, 0.74, 1.14, 0.44],
        ['admissions_voluntary_12m', 0.6, 1.0, 0.55, 0.95, 0.9, 0.69, 1.18, 0.46],
        ['admissions_involuntary_12m', 0.5, 0.9, 0.45, 0.85, 0.94, 0.7, 1.27, 0.69],
        ['bed_days_12m', 52.4, 78.1, 45.9, 70.3, 0.88, 0.68, 1.13, 0.31],
        ['crisis_contacts_12m', 6.2, 11.4, 5.9, 10.8, 0.96, 0.76, 1.21, 0.72],
        ['liaison_contacts_12m', 0.8, 1.7, 0.7, 1.5, 0.91, 0.66, 1.25, 0.55],
      ].map(([outcome, m0, s0, m1, s1, estimate, ciLower, ciUpper, pValue]) => ({
        outcome: outcome as string,
        byArm: {
          usual_care: meanSd(291, m0 as number, s0 as number),
          peer_support: meanSd(287, m1 as number, s1 as number),
        },
        rateRatio: {
          estimate: estimate as number,
          ciLower: ciLower as number,
          ciUpper: ciUpper as number,
          pValue: pValue as number,
        },
        theta: 0.8,
        n: 578,
        warnings: [],
      })),
      timeToReadmission: {
        hazardRatio: { estimate: 0.95, ciLower: 0.75, ciUpper: 1.2, pValue: 0.66 },
        logrankPValue: 0.6123,
        logrankChisq: 0.257,
        curves,
        n: 578,
        events: curves.reduce((sum, curve) => sum + curve.events, 0),
      },
      fourMonth: [
        ['symptoms', 44.1, 15.2, 43.5, 14.8, -0.42, -3.1, 2.26, 0.76, 150, 139],
        ['quality_of_life', 4.1, 1.1, 4.2, 1.0, 0.08, -0.14, 0.3, 0.47, 152, 141],
        ['social_inclusion', 12.3, 4.8, 12.9, 4.6, 0.51, -0.5, 1.52, 0.32, 148, 138],
        ['hope', 16.8, 4.1, 17.2, 4.3, 0.35, -0.52, 1.22, 0.43, 151, 140],
        ['social_network', 3.1, 1.9, 3.2, 2.0, 0.06, -0.35, 0.47, 0.77, 149, 137],
      ].map(([scale, m0, s0, m1, s1, estimate, ciLower, ciUpper, pValue, n0, n1]) => ({
        outcome: `${scale}_4m`,
        baseline: `${scale}_baseline`,
        meanDifference: {
          estimate: estimate as number,
          ciLower: ciLower as number,
          ciUpper: ciUpper as number,
          pValue: pValue as number,
        },
        n: { usual_care: n0 as number, peer_support: n1 as number },
        byArm: {
          usual_care: meanSd(n0 as number, m0 as number, s0 as number),
          peer_support: meanSd(n1 as number, m1 as number, s1 as number),
        },
        followUpPercent: {
          usual_care: (100 * (n0 as number)) / 296,
          peer_support: (100 * (n1 as number)) / 294,
        },
      })),
    },
    engagement: {
      assessable: { usual_care: 296, peer_support: 268 },
      contactsHospital: { usual_care: meanSd(296, 0, 0), peer_support: meanSd(268, 1.8, 2.9) },
      contactsCommunity: { usual_care: meanSd(296, 0, 0), peer_support: meanSd(268, 4.4, 4.6) },
      anyContact: { usual_care: countPercent(0, 296), peer_support: countPercent(214, 268) },
      compliers: { usual_care: countPercent(0, 296), peer_support: countPercent(162, 268) },
      firstContactMinutes: { usual_care: meanSd(0, null, null), peer_support: meanSd(214, 48.2, 21.5) },
    },
    sae: {
      events: { usual_care: 33, peer_support: 34 },
      participants: { usual_care: countPercent(25, 296), peer_support: countPercent(26, 294) },
      byCategory: [
        ['death', 6, 6, 6, 6],
        ['hospitalisation', 11, 12, 9, 10],
        ['self_harm', 8, 9, 6, 7],
        ['suicide_attempt', 4, 4, 3, 4],
        ['violence', 2, 1, 2, 1],
        ['other', 2, 2, 2, 2],
      ].map(([category, e0, e1, p0, p1]) => ({
        category: category as string,
        events: { usual_care: e0 as number, peer_support: e1 as number },
        participants: { usual_care: p0 as number, peer_support: p1 as number },
      })),
      related: { usual_care: 0, peer_support: 1 },
      deaths: { usual_care: 6, peer_support: 6 },
    },
  };
}
