import assert from 'node:assert/strict';
import { it } from 'node:test';
import { ANALYSIS_DATASET_COLUMNS, SAE_CATEGORIES } from '../analysis-dataset-schema.ts';
import { DIAGNOSIS_GROUPS, ETHNICITIES, FIRST_LANGUAGES, GENDERS, SEXUAL_ORIENTATIONS } from './types.ts';

it('record categories use the data dictionary levels', () => {
  const levels = (name: string) => {
    const spec = ANALYSIS_DATASET_COLUMNS.find((column) => column.name === name);
    assert.ok(spec?.kind === 'category', name);
    return spec.levels;
  };
  assert.deepEqual(GENDERS, levels('gender'));
  assert.deepEqual(ETHNICITIES, levels('ethnicity'));
  assert.deepEqual(FIRST_LANGUAGES, levels('first_language'));
  assert.deepEqual(SEXUAL_ORIENTATIONS, levels('sexual_orientation'));
  assert.deepEqual(DIAGNOSIS_GROUPS, levels('diagnosis_group'));
  assert.deepEqual(SAE_CATEGORIES, [
    'death',
    'hospitalisation',
    'self_harm',
    'suicide_attempt',
    'violence',
    'other',
  ]);
});
