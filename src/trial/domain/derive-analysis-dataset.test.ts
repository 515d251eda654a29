import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseCsv } from '../../table/index.ts';
import { readAnalysisDataset } from '../analysis-dataset.ts';
import { ANALYSIS_DATASET_COLUMNS } from '../analysis-dataset-schema.ts';
import { RecordValidationError } from '../errors.ts';
import { ENRICH_TRIAL_CONFIG } from '../templates/enrich.ts';
import { type AnalysisRow, deriveAnalysisDataset, formatAnalysisCsv } from './derive-analysis-dataset.ts';
import { sampleTrial } from './trial-records.test-support.ts';
import type { ParticipantRecords } from './types.ts';

const derive = (records: readonly ParticipantRecords[]) =>
  deriveAnalysisDataset(ENRICH_TRIAL_CONFIG, records);

function assertColumns(row: AnalysisRow | undefined, expected: Record<string, string | number | null>): void {
  assert.ok(row);
  for (const [column, value] of Object.entries(expected)) {
    assert.equal(row[column], value, `${row.participant_id} ${column}`);
  }
}

// Expected values are worked by hand from the records in trial-records.test-support.ts (discharge
// 2024-01-15 = day 0; 2024 is a leap year, so 2025-01-14 is day 365).
describe('deriveAnalysisDataset', () => {
  const rows = derive(sampleTrial());

  it('writes one row per participant with every data-dictionary column, in order', () => {
    assert.deepEqual(
      rows.map((row) => row.participant_id),
      ['P001', 'P002', 'P003', 'P004', 'P005', 'P006'],
    );
    for (const row of rows) {
      assert.deepEqual(
        Object.keys(row),
        ANALYSIS_DATASET_COLUMNS.map((spec) => spec.name),
      );
    }
  });

  it('P001: design, baseline, scores from responses, contacts and 12-month service use', () => {
    assertColumns(rows[0], {
      site: 'site_1',
      arm: 'peer_support',
      diagnosis_group: 'psychosis',
      randomised_date: '2024-01-06',
      discharge_date: '2024-01-15',
      age: 41,
      detained_at_index: 1,
      index_los_days: 26, // 2023-12-20 to 2024-01-15
      symptoms_baseline: 20, // 10 items of 2
      quality_of_life_baseline: 56 / 12, // 10 items of 5, items 4 and 9 reversed to 3; mean
      social_inclusion_baseline: 12,
      hope_baseline: 34, // 10 items of 3, items 3 and 6 reversed to 2
      social_network_baseline: 24,
      eq5d_baseline: 1 - 0.081 - 0.036 - 0.123 - 0.236 - 0.269, // state 11223
      pw_contacts_hospital: 3, // C1, C2, C4 face to face before discharge (C3 by telephone is not)
      pw_contacts_community: 3, // C5 (telephone), C6, C7 after discharge
      first_contact_minutes: 45, // C1 and C2 on the same day: C1 first by id
      first_contact_relationship_activities: 2, // getting_to_know, sharing_lived_experience
      readmitted_12m: 1,
      days_to_readmission: 46, // 2024-03-01
      readmission_event: 1,
      admissions_voluntary_12m: 1,
      admissions_involuntary_12m: 2, // 2024-06-01 and day 365 (2025-01-14)
      admissions_total_12m: 3,
      bed_days_12m: 16, // 10 (1-10 March) + 5 (1-5 June) + 1 (day 365 only)
      crisis_contacts_12m: 2,
      liaison_contacts_12m: 1,
      community_contacts_12m: 7, // 3 + 4; the 9 on day 366 are outside the year
      followup_4m: 1,
      symptoms_4m: 20,
      eq5d_4m: 1 - 0.081 - 0.036 - 0.123 - 0.236 - 0.269,
      withdrawn: 0,
      died_12m: 0,
    });
  });

  it('P002: censors at death (day 167) and counts service use up to it; no interview', () => {
    assertColumns(rows[1], {
      arm: 'usual_care',
      pw_contacts_hospital: 0,
      pw_contacts_community: 0,
      first_contact_minutes: null,
      first_contact_relationship_activities: null,
      readmitted_12m: 0,
      days_to_readmission: 167,
      readmission_event: 0,
      admissions_total_12m: 0,
      bed_days_12m: 0,
      crisis_contacts_12m: 1, // day 166 counted, day 168 after death not
      followup_4m: 0,
      symptoms_4m: null,
      eq5d_4m: null,
      died_12m: 1,
      withdrawn: 0,
    });
  });

  it('P003: censors at a withdrawal that stops records use (day 90), prorates a baseline score', () => {
    assertColumns(rows[2], {
      symptoms_baseline: (20 / 9) * 10, // 9 of 10 answered (4 + 8 × 2): mean × 10 items
      social_network_baseline: null, // all 6 items needed, 5 answered
      readmitted_12m: null, // not known: the readmission on day 107 is after the withdrawal
      days_to_readmission: 90,
      readmission_event: 0,
      admissions_total_12m: null,
      bed_days_12m: null,
      community_contacts_12m: null,
      followup_4m: 0,
      withdrawn: 1,
      died_12m: 0,
    });
  });

  it('P004: a withdrawal with no data use keeps only the design columns and withdrawn', () => {
    const row = rows[3] as AnalysisRow;
    for (const spec of ANALYSIS_DATASET_COLUMNS) {
      const kept = ['participant_id', 'site', 'arm', 'diagnosis_group', 'randomised_date', 'withdrawn'];
      if (!kept.includes(spec.name)) assert.equal(row[spec.name], null, spec.name);
    }
    assertColumns(row, { withdrawn: 1, arm: 'usual_care' });
  });

  it('P005: records not available leave 12-month outcomes missing; stopping the intervention is not withdrawal', () => {
    assertColumns(rows[4], {
      pw_contacts_hospital: 1,
      first_contact_minutes: 20.5,
      first_contact_relationship_activities: 1,
      readmitted_12m: null,
      days_to_readmission: null,
      readmission_event: null,
      bed_days_12m: null,
      followup_4m: 1,
      withdrawn: 0,
    });
  });

  it('an intervention withdrawal in the older format (a withdrawal with scope intervention) derives the same rows', () => {
    const older = sampleTrial().map((records) => {
      if (records.interventionWithdrawal === undefined) return records;
      const { interventionWithdrawal, ...rest } = records;
      return { ...rest, withdrawal: interventionWithdrawal };
    });
    assert.ok(older.some((records) => records.withdrawal?.scope === 'intervention'));
    assert.deepEqual(derive(older), rows);
    const without = sampleTrial().map(({ interventionWithdrawal: _dropped, ...rest }) => rest);
    assert.deepEqual(derive(without), rows);
  });

  it('P006: without a discharge date, no length of stay and no 12-month outcomes', () => {
    assertColumns(rows[5], {
      discharge_date: null,
      index_los_days: null,
      readmitted_12m: null,
      days_to_readmission: null,
      died_12m: 0,
    });
  });

  it('censors at 365 without events, and counts a readmission on day 365 but not day 366', () => {
    const base = sampleTrial()[1] as ParticipantRecords;
    const { death: _death, ...alive } = base;
    const none = derive([{ ...alive, serviceUseEvents: [] }])[0];
    assertColumns(none, { readmitted_12m: 0, days_to_readmission: 365, readmission_event: 0, died_12m: 0 });
    const admission = (date: string) => ({
      kind: 'admission' as const,
      eventId: 'X',
      participantId: 'P002',
      admissionDate: date,
      legalStatus: 'voluntary' as const,
    });
    assertColumns(derive([{ ...alive, serviceUseEvents: [admission('2025-01-14')] }])[0], {
      readmitted_12m: 1,
      days_to_readmission: 365,
      bed_days_12m: 1, // still in hospital: runs to day 365
    });
    assertColumns(derive([{ ...alive, serviceUseEvents: [admission('2025-01-15')] }])[0], {
      readmitted_12m: 0,
      days_to_readmission: 365,
      admissions_total_12m: 0,
    });
    assertColumns(derive([{ ...alive, serviceUseEvents: [admission('2024-01-15')] }])[0], {
      readmitted_12m: 0, // day 0 is the index discharge day, not a readmission
      bed_days_12m: 0,
    });
  });

  it('a death after 12 months is not died_12m; records use after withdrawal keeps full follow-up', () => {
    const base = sampleTrial()[1] as ParticipantRecords;
    assertColumns(
      derive([{ ...base, death: { participantId: 'P002', dateOfDeath: '2025-03-01', recordedBy: 'r' } }])[0],
      {
        died_12m: 0,
        days_to_readmission: 365,
      },
    );
    const withdrawn: ParticipantRecords = {
      ...(sampleTrial()[2] as ParticipantRecords),
      withdrawal: {
        participantId: 'P003',
        withdrawalDate: '2024-04-14',
        initiatedBy: 'participant',
        scope: 'interviews',
        dataUse: 'collected_and_records',
        recordedBy: 'r',
      },
    };
    assertColumns(derive([withdrawn])[0], {
      withdrawn: 1,
      readmitted_12m: 1,
      days_to_readmission: 107, // 2024-05-01
      bed_days_12m: 3,
      admissions_voluntary_12m: 1,
    });
    const early: ParticipantRecords = {
      ...withdrawn,
      withdrawal: {
        ...(withdrawn.withdrawal as NonNullable<ParticipantRecords['withdrawal']>),
        dataUse: 'collected_only',
        withdrawalDate: '2024-01-15',
      },
    };
    assertColumns(derive([early])[0], { readmitted_12m: null, days_to_readmission: null, withdrawn: 1 });
  });

  it('uses the latest records review of the 12-month visit', () => {
    const base = sampleTrial()[0] as ParticipantRecords;
    const review = base.serviceUseReviews[0] as ParticipantRecords['serviceUseReviews'][number];
    const reviews = [
      { ...review, reviewDate: '2025-03-01', recordsAvailable: true },
      { ...review, reviewDate: '2025-02-01', recordsAvailable: false },
    ];
    assertColumns(derive([{ ...base, serviceUseReviews: reviews }])[0], { readmitted_12m: 1 });
    assertColumns(derive([{ ...base, serviceUseReviews: [] }])[0], {
      readmitted_12m: null,
      bed_days_12m: null,
    });
  });

  it('round trip: derived rows -> CSV -> readAnalysisDataset accepts every column', () => {
    const csv = formatAnalysisCsv(rows);
    const dataset = readAnalysisDataset(parseCsv(new TextEncoder().encode(csv), 'export.csv'));
    assert.equal(dataset.rowCount, 6);
    assert.deepEqual(dataset.participantIds, ['P001', 'P002', 'P003', 'P004', 'P005', 'P006']);
    assert.deepEqual(Array.from(dataset.numeric('days_to_readmission')), [
      46,
      167,
      90,
      Number.NaN,
      Number.NaN,
      Number.NaN,
    ]);
    assert.deepEqual(Array.from(dataset.numeric('quality_of_life_baseline')).slice(0, 3), [
      56 / 12,
      56 / 12,
      56 / 12,
    ]);
    assert.equal(dataset.numeric('symptoms_baseline')[2], (20 / 9) * 10, 'shortest round-trip number text');
    assert.deepEqual(dataset.categorical('arm').levels, ['usual_care', 'peer_support']);
    assert.equal(csv.split('\n')[0], ANALYSIS_DATASET_COLUMNS.map((spec) => spec.name).join(','));
  });

  it('quotes text with commas or quotes in the CSV', () => {
    const csv = formatAnalysisCsv(
      [{ participant_id: 'P"1', site: 'North, East' }],
      [
        { name: 'participant_id', kind: 'identifier' },
        { name: 'site', kind: 'label' },
      ],
    );
    assert.equal(csv, 'participant_id,site\n"P""1","North, East"\n');
  });
});

describe('deriveAnalysisDataset errors', () => {
  it('reports every inconsistency at once, never quoting an arm', () => {
    const [p1, p2] = sampleTrial() as [ParticipantRecords, ParticipantRecords];
    const broken: ParticipantRecords[] = [
      {
        ...p1,
        randomisation: { ...p1.randomisation, arm: 'secret_arm' },
        contacts: [{ ...(p1.contacts[0] as ParticipantRecords['contacts'][number]), participantId: 'P999' }],
        interviews: [p1.interviews[0], p1.interviews[0]] as ParticipantRecords['interviews'],
        baseline: {
          ...(p1.baseline as NonNullable<ParticipantRecords['baseline']>),
          responses: { hope: { h1: 9 } },
        },
      },
      { ...p2, discharge: { participantId: 'P002', dischargeDate: '15/01/2024', recordedBy: 'r' } },
      { ...p2 },
    ];
    assert.throws(
      () => derive(broken),
      (error: unknown) => {
        assert.ok(error instanceof RecordValidationError);
        assert.equal(error.code, 'record_inconsistent');
        assert.deepEqual(
          error.problems.map((problem) => `${problem.code} ${problem.path}: ${problem.message}`),
          [
            'record_inconsistent participant P001: contact.participantId: contact.participantId requires "P001" (got "P999")',
            'record_field_invalid participant P001: randomisation.arm: randomisation.arm requires one of the configured arms',
            'record_field_invalid participant P001: baseline.responses.hope.h1: hope item h1 requires a whole number in [1, 4] (got 9)',
            'record_inconsistent participant P001: interview.month_4: interview month_4 requires at most one completed interview (got 2)',
            'record_field_invalid participant P002: discharge.dischargeDate: discharge.dischargeDate requires an ISO date YYYY-MM-DD (got "15/01/2024")',
            'record_inconsistent participant P002: the analysis dataset requires one record set per participant (got "P002" twice)',
          ],
        );
        assert.ok(!error.message.includes('secret_arm'));
        return true;
      },
    );
  });

  it('reports a discharge before the index admission', () => {
    const p1 = sampleTrial()[0] as ParticipantRecords;
    assert.throws(
      () =>
        derive([
          { ...p1, discharge: { participantId: 'P001', dischargeDate: '2023-12-01', recordedBy: 'r' } },
        ]),
      {
        name: 'RecordValidationError',
        message:
          'participant P001: discharge.dischargeDate: discharge.dischargeDate requires a date on or after the index admission 2023-12-20 (got 2023-12-01)',
      },
    );
  });
});
