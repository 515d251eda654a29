import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseCsv } from '../table/index.ts';
import { readAnalysisDataset, readSaeDataset } from './analysis-dataset.ts';
import { ANALYSIS_DATASET_COLUMNS } from './analysis-dataset-schema.ts';
import { DatasetError } from './errors.ts';

/** A valid row as a map; tests override cells to make it invalid. */
function validRow(index: number): Record<string, string> {
  const peer = index % 2 === 0;
  const row: Record<string, string> = {
    participant_id: `P${String(index).padStart(3, '0')}`,
    site: index % 3 === 0 ? 'north' : 'south',
    arm: peer ? 'peer_support' : 'usual_care',
    diagnosis_group: ['psychosis', 'personality', 'other'][index % 3] as string,
    randomised_date: '2017-03-01',
    discharge_date: '2017-03-20',
    age: String(30 + index),
    gender: index % 2 === 0 ? 'female' : 'male',
    ethnicity: index % 4 === 0 ? 'Black' : 'White',
    first_language: 'English',
    sexual_orientation: index === 3 ? 'NA' : 'heterosexual',
    admissions_prior_2y: '2',
    detained_at_index: '0',
    index_los_days: '19',
    symptoms_baseline: '40.5',
    quality_of_life_baseline: '4.2',
    social_inclusion_baseline: '20',
    hope_baseline: '30',
    social_network_baseline: '12',
    eq5d_baseline: '0.61',
    pw_contacts_hospital: peer ? '2' : '0',
    pw_contacts_community: peer ? '5' : '0',
    first_contact_minutes: peer ? '45' : '',
    first_contact_relationship_activities: peer ? '3' : '0',
    readmitted_12m: String(index % 2),
    days_to_readmission: index % 2 === 1 ? '120' : '365',
    readmission_event: String(index % 2),
    admissions_voluntary_12m: String(index % 2),
    admissions_involuntary_12m: '0',
    admissions_total_12m: String(index % 2),
    bed_days_12m: index % 2 === 1 ? '21' : '0',
    crisis_contacts_12m: '3',
    liaison_contacts_12m: '0',
    community_contacts_12m: '14',
    followup_4m: index % 3 === 0 ? '0' : '1',
    symptoms_4m: index % 3 === 0 ? '' : '38',
    quality_of_life_4m: index % 3 === 0 ? '' : '4.5',
    social_inclusion_4m: index % 3 === 0 ? '' : '21',
    hope_4m: index % 3 === 0 ? '' : '31',
    social_network_4m: index % 3 === 0 ? '' : '13',
    eq5d_4m: index % 3 === 0 ? '' : '0.7',
    withdrawn: '0',
    died_12m: '0',
  };
  return row;
}

function toCsv(
  rows: Record<string, string>[],
  columns = ANALYSIS_DATASET_COLUMNS.map((spec) => spec.name),
): Uint8Array {
  const lines = [columns.join(','), ...rows.map((row) => columns.map((name) => row[name] ?? '').join(','))];
  return new TextEncoder().encode(`${lines.join('\n')}\n`);
}

function problemsOf(run: () => unknown): { code: string; problems: string[] } {
  try {
    run();
  } catch (error) {
    assert.ok(error instanceof DatasetError, `expected a DatasetError, got ${error}`);
    return {
      code: error.code,
      problems: error.problems.map((problem) => `${problem.path}: ${problem.message}`),
    };
  }
  assert.fail('expected a DatasetError');
}

const rows = Array.from({ length: 8 }, (_, index) => validRow(index + 1));

describe('readAnalysisDataset', () => {
  it('types a valid dataset with the dictionary level order (usual_care is the reference arm)', () => {
    const dataset = readAnalysisDataset(parseCsv(toCsv(rows), 'trial.csv'));
    assert.equal(dataset.rowCount, 8);
    assert.deepEqual(dataset.categorical('arm').levels, ['usual_care', 'peer_support']);
    assert.deepEqual(Array.from(dataset.categorical('arm').codes), [0, 1, 0, 1, 0, 1, 0, 1]);
    assert.deepEqual(dataset.categorical('diagnosis_group').levels, ['psychosis', 'personality', 'other']);
    assert.equal(dataset.participantIds[0], 'P001');
    // Dates become day numbers: 2017-03-20 minus 2017-03-01 is 19 days.
    assert.equal(
      (dataset.numeric('discharge_date')[0] as number) - (dataset.numeric('randomised_date')[0] as number),
      19,
    );
    assert.ok(Number.isNaN(dataset.numeric('symptoms_4m')[2] as number));
    assert.equal(dataset.categorical('sexual_orientation').codes[2], -1);
  });

  it('keeps unknown columns and accepts any column order', () => {
    const columns = [...ANALYSIS_DATASET_COLUMNS.map((spec) => spec.name)].reverse();
    const withExtra = rows.map((row) => ({ ...row, redcap_event: 'baseline_arm_1' }));
    const dataset = readAnalysisDataset(
      parseCsv(toCsv(withExtra, [...columns, 'redcap_event']), 'extra.csv'),
    );
    assert.equal(dataset.findColumn('redcap_event')?.kind, 'categorical');
    assert.deepEqual(dataset.categorical('arm').levels, ['usual_care', 'peer_support']);
  });

  it('names every missing column', () => {
    const columns = ANALYSIS_DATASET_COLUMNS.map((spec) => spec.name).filter(
      (name) => name !== 'arm' && name !== 'eq5d_4m',
    );
    const result = problemsOf(() => readAnalysisDataset(parseCsv(toCsv(rows, columns), 'short.csv')));
    assert.equal(result.code, 'dataset_column_missing');
    assert.equal(result.problems.length, 2);
    assert.match(
      result.problems[0] as string,
      /^short\.csv: the analysis dataset requires a column "arm" \(got columns participant_id, site, diagnosis_group/,
    );
    assert.match(result.problems[1] as string, /requires a column "eq5d_4m"/);
  });

  it('reports every bad value with its row and column, all at once', () => {
    const bad = rows.map((row) => ({ ...row }));
    (bad[1] as Record<string, string>).arm = 'control';
    (bad[2] as Record<string, string>).age = '17';
    (bad[3] as Record<string, string>).readmitted_12m = '2';
    (bad[4] as Record<string, string>).discharge_date = '2017-02-30';
    (bad[5] as Record<string, string>).admissions_total_12m = '1.5';
    (bad[6] as Record<string, string>).site = '';
    (bad[7] as Record<string, string>).eq5d_4m = '1.2';
    const result = problemsOf(() => readAnalysisDataset(parseCsv(toCsv(bad), 'bad.csv')));
    assert.deepEqual(result.problems, [
      'bad.csv: row 7, column site: site requires a value in every row (got a missing value in row 7)',
      'bad.csv: row 2, column arm: arm requires one of usual_care, peer_support (got "control" in row 2)',
      'bad.csv: row 5, column discharge_date: discharge_date requires an ISO date YYYY-MM-DD (got "2017-02-30" in row 5)',
      'bad.csv: row 3, column age: age requires a value >= 18 (got 17 in row 3)',
      'bad.csv: row 4, column readmitted_12m: readmitted_12m requires 0 or 1 (got "2" in row 4)',
      'bad.csv: row 6, column admissions_total_12m: admissions_total_12m requires a whole number (got 1.5 in row 6)',
      'bad.csv: row 8, column eq5d_4m: eq5d_4m requires a value <= 1 (got 1.2 in row 8)',
    ]);
  });

  it('rejects duplicate participant ids, naming both rows', () => {
    const duplicated = rows.map((row) => ({ ...row }));
    (duplicated[5] as Record<string, string>).participant_id = 'P002';
    const result = problemsOf(() => readAnalysisDataset(parseCsv(toCsv(duplicated), 'dup.csv')));
    assert.deepEqual(result, {
      code: 'dataset_duplicate_id',
      problems: [
        'dup.csv: row 6, column participant_id: participant_id requires unique values (got "P002" in rows 2 and 6)',
      ],
    });
  });
});

describe('readSaeDataset', () => {
  const dataset = readAnalysisDataset(parseCsv(toCsv(rows), 'trial.csv'));
  const encode = (text: string) => new TextEncoder().encode(text);

  it('reads events of known participants', () => {
    const sae = readSaeDataset(
      parseCsv(
        encode(
          'participant_id,onset_date,category,related\nP001,2017-05-01,self_harm,1\nP004,2017-06-02,death,0\n',
        ),
        'sae.csv',
      ),
      dataset,
    );
    assert.equal(sae.rowCount, 2);
    assert.deepEqual(Array.from(sae.categorical('category').codes), [2, 0]);
  });

  it('rejects unknown participants and bad categories', () => {
    const result = problemsOf(() =>
      readSaeDataset(
        parseCsv(encode('participant_id,onset_date,category,related\nP999,2017-05-01,fall,1\n'), 'sae.csv'),
        dataset,
      ),
    );
    assert.deepEqual(result.problems, [
      'sae.csv: row 1, column category: category requires one of death, hospitalisation, self_harm, suicide_attempt, violence, other (got "fall" in row 1)',
    ]);
    const unknown = problemsOf(() =>
      readSaeDataset(
        parseCsv(encode('participant_id,onset_date,category,related\nP999,2017-05-01,other,0\n'), 'sae.csv'),
        dataset,
      ),
    );
    assert.deepEqual(unknown, {
      code: 'dataset_unknown_participant',
      problems: [
        'sae.csv: row 1, column participant_id: participant_id requires a participant of the analysis dataset trial.csv (got "P999" in row 1)',
      ],
    });
  });
});
