import type { AnalysisDataset } from '../trial/index.ts';
import type { ArmGroups } from './arm-groups.ts';
import { countPercent, meanSd, perArm } from './summaries.ts';
import type { BaselineRow } from './trial-analysis-types.ts';

/** The baseline table's variables in order, with their labels. Binary ones are shown as n (%) of "yes". */
export const BASELINE_VARIABLES: readonly {
  variable: string;
  label: string;
  kind: 'continuous' | 'categorical' | 'binary';
}[] = [
  { variable: 'age', label: 'Age (years)', kind: 'continuous' },
  { variable: 'gender', label: 'Gender', kind: 'categorical' },
  { variable: 'ethnicity', label: 'Ethnicity', kind: 'categorical' },
  { variable: 'first_language', label: 'First language', kind: 'categorical' },
  { variable: 'sexual_orientation', label: 'Sexual orientation', kind: 'categorical' },
  { variable: 'diagnosis_group', label: 'Diagnosis group', kind: 'categorical' },
  { variable: 'site', label: 'Site', kind: 'categorical' },
  { variable: 'admissions_prior_2y', label: 'Admissions in the previous 2 years', kind: 'continuous' },
  { variable: 'detained_at_index', label: 'Detained at index admission', kind: 'binary' },
  { variable: 'index_los_days', label: 'Length of index admission (days)', kind: 'continuous' },
  { variable: 'symptoms_baseline', label: 'Symptoms', kind: 'continuous' },
  { variable: 'quality_of_life_baseline', label: 'Quality of life', kind: 'continuous' },
  { variable: 'social_inclusion_baseline', label: 'Social inclusion', kind: 'continuous' },
  { variable: 'hope_baseline', label: 'Hope', kind: 'continuous' },
  { variable: 'social_network_baseline', label: 'Social network', kind: 'continuous' },
  { variable: 'eq5d_baseline', label: 'EQ-5D utility', kind: 'continuous' },
];

/**
 * The baseline table by arm: mean (SD) of continuous variables, n (%) of each category of categorical
 * ones (levels that occur, in level order; % of the arm's non-missing values), n (%) of "yes" for binary
 * ones, and the number missing per arm.
 * @example baselineTable(dataset, arms)[0] // { kind: 'continuous', variable: 'age', ... }
 */
export function baselineTable(dataset: AnalysisDataset, arms: ArmGroups): BaselineRow[] {
  const inArm = (arm: number) => (row: number) => arms.codes[row] === arm;
  return BASELINE_VARIABLES.map(({ variable, label, kind }) => {
    const column = dataset.findColumn(variable);
    const missingIn = (arm: number, isMissing: (row: number) => boolean) => {
      let count = 0;
      for (let row = 0; row < dataset.rowCount; row++) if (arms.codes[row] === arm && isMissing(row)) count++;
      return count;
    };
    if (column?.kind === 'numeric') {
      const values = column.values;
      const missing = perArm(arms.levels, (arm) =>
        missingIn(arm, (row) => Number.isNaN(values[row] as number)),
      );
      if (kind === 'binary') {
        return {
          kind: 'categorical',
          variable,
          label,
          levels: [
            {
              level: 'yes',
              byArm: perArm(arms.levels, (arm) => {
                let yes = 0;
                let known = 0;
                for (let row = 0; row < dataset.rowCount; row++) {
                  if (arms.codes[row] !== arm || Number.isNaN(values[row] as number)) continue;
                  known++;
                  if (values[row] === 1) yes++;
                }
                return countPercent(yes, known);
              }),
            },
          ],
          missing,
        };
      }
      return {
        kind: 'continuous',
        variable,
        label,
        byArm: perArm(arms.levels, (arm) => meanSd(values, inArm(arm))),
        missing,
      };
    }
    const categorical = dataset.categorical(variable);
    const present = categorical.levels.map((_, code) => categorical.codes.includes(code));
    return {
      kind: 'categorical',
      variable,
      label,
      levels: categorical.levels
        .filter((_, code) => present[code])
        .map((level) => {
          const code = categorical.levels.indexOf(level);
          return {
            level,
            byArm: perArm(arms.levels, (arm) => {
              let hits = 0;
              let known = 0;
              for (let row = 0; row < dataset.rowCount; row++) {
                if (arms.codes[row] !== arm || (categorical.codes[row] as number) < 0) continue;
                known++;
                if (categorical.codes[row] === code) hits++;
              }
              return countPercent(hits, known);
            }),
          };
        }),
      missing: perArm(arms.levels, (arm) => missingIn(arm, (row) => (categorical.codes[row] as number) < 0)),
    };
  });
}
