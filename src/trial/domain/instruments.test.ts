import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { assertClose } from '../../../test/helpers/approx.ts';
import { readFixture } from '../../../test/helpers/fixtures.ts';
import { InstrumentResponseError } from '../errors.ts';
import { checkInstrumentDefinition, scoreInstrument, subscaleMinimum } from './instruments.ts';
import {
  EQ5D_3L_UK_TTO_VALUE_SET,
  PLACEHOLDER_EQ5D,
  PLACEHOLDER_INSTRUMENTS,
} from './placeholder-instruments.ts';
import type { InstrumentDefinition } from './types.ts';

interface ScaleCase {
  instrument: string;
  items: string[];
  responses: (number | null)[];
  total: number | null;
  answered: number;
  subscales: Record<string, number | null>;
}
interface Fixture {
  cases: { scales: ScaleCase[]; eq5d: { state: number[]; utility: number }[] };
}

const fixture = readFixture<Fixture>('instrument-scoring.json');

const FOUR_ITEMS: InstrumentDefinition = {
  id: 'four',
  name: 'Four items',
  construct: 'hope',
  minimum: 0,
  maximum: 3,
  items: [
    { id: 'q1', text: '1' },
    { id: 'q2', text: '2' },
    { id: 'q3', text: '3' },
    { id: 'q4', text: '4', reverse: true },
  ],
  subscales: [{ id: 'first_two', label: 'First two', items: ['q1', 'q2'] }],
  scoring: { kind: 'sum' },
  minimumAnswered: 3,
};

describe('scoreInstrument against R (reference/instrument-scoring.R)', () => {
  // Tolerance 1e-12 relative: R's mean() accumulates in long double and adds a correction pass; JavaScript
  // divides the double sum. For these small integer sums both are the correctly rounded quotient, so any
  // difference could only be in the last bit.
  it('agrees on 200 placeholder-scale response sets (reverse items, prorated sums, means, subscales)', () => {
    let prorated = 0;
    let missing = 0;
    for (const [index, testCase] of fixture.cases.scales.entries()) {
      const instrument = PLACEHOLDER_INSTRUMENTS.find((candidate) => candidate.id === testCase.instrument);
      assert.ok(instrument, testCase.instrument);
      assert.deepEqual(
        instrument.items.map((item) => item.id),
        testCase.items,
      );
      const responses = Object.fromEntries(
        testCase.items.map((id, item) => [id, testCase.responses[item] ?? null]),
      );
      const score = scoreInstrument(instrument, responses);
      const where = `case ${index} (${testCase.instrument})`;
      assert.equal(score.answered, testCase.answered, where);
      if (testCase.total === null) {
        assert.equal(score.total, undefined, where);
        missing += 1;
      } else {
        assertClose(score.total as number, testCase.total, { relative: 1e-12 }, where);
      }
      if (score.prorated) prorated += 1;
      assert.equal(
        score.prorated,
        testCase.total !== null && testCase.answered < testCase.items.length,
        where,
      );
      for (const [subscale, expected] of Object.entries(testCase.subscales)) {
        if (expected === null) assert.equal(score.subscales[subscale], undefined, `${where} ${subscale}`);
        else
          assertClose(
            score.subscales[subscale] as number,
            expected,
            { relative: 1e-12 },
            `${where} ${subscale}`,
          );
      }
    }
    assert.ok(
      prorated > 20 && missing > 20,
      `fixture covers prorating (${prorated}) and missing (${missing})`,
    );
  });

  it('agrees on the EQ-5D-3L UK TTO utility of all 243 health states', () => {
    // 1e-12 relative (absolute 1e-15 near zero): the same sums of decrements, possibly in another order.
    const dimensions = PLACEHOLDER_EQ5D.items.map((item) => item.id);
    for (const { state, utility } of fixture.cases.eq5d) {
      const responses = Object.fromEntries(dimensions.map((id, index) => [id, state[index] as number]));
      const score = scoreInstrument(PLACEHOLDER_EQ5D, responses);
      assertClose(score.total as number, utility, { relative: 1e-12, absolute: 1e-15 }, state.join(''));
    }
    assert.equal(fixture.cases.eq5d.length, 243);
  });
});

describe('scoreInstrument rules', () => {
  it('sums complete responses, reverse-scoring marked items', () => {
    // q4 reversed: 0 + 3 - 1 = 2
    assert.deepEqual(scoreInstrument(FOUR_ITEMS, { q1: 3, q2: 2, q3: 0, q4: 1 }), {
      total: 7,
      subscales: { first_two: 5 },
      answered: 4,
      prorated: false,
    });
  });

  it('prorates a sum as the mean of the answered items times the number of items', () => {
    // answered 3, 2, (reversed 1 -> 2): mean 7/3, times 4 items
    const score = scoreInstrument(FOUR_ITEMS, { q1: 3, q2: 2, q3: null, q4: 1 });
    assert.equal(score.total, (7 / 3) * 4);
    assert.equal(score.prorated, true);
    assert.equal(score.answered, 3);
  });

  it('leaves the score missing below the threshold and scores subscales on their own threshold', () => {
    const score = scoreInstrument(FOUR_ITEMS, { q1: 3, q2: null, q3: null, q4: 1 });
    assert.equal(score.total, undefined);
    assert.equal(score.prorated, false);
    // subscale threshold ceil(3 * 2 / 4) = 2; one answered
    assert.equal(score.subscales.first_two, undefined);
    assert.equal(subscaleMinimum(FOUR_ITEMS, { items: ['q1', 'q2'] }), 2);
    assert.equal(subscaleMinimum(FOUR_ITEMS, { items: ['q1'], minimumAnswered: 1 }), 1);
  });

  it('treats absent items as unanswered and no responses as a missing score', () => {
    assert.equal(scoreInstrument(FOUR_ITEMS, {}).total, undefined);
    assert.equal(scoreInstrument(FOUR_ITEMS, {}).answered, 0);
  });

  it('takes the mean of answered items for mean scoring', () => {
    const mean: InstrumentDefinition = { ...FOUR_ITEMS, scoring: { kind: 'mean' } };
    assert.equal(scoreInstrument(mean, { q1: 3, q2: 2, q3: null, q4: 1 }).total, 7 / 3);
  });

  it('needs every EQ-5D dimension for a utility', () => {
    const score = scoreInstrument(PLACEHOLDER_EQ5D, {
      mobility: 1,
      self_care: 1,
      usual_activities: 1,
      pain_discomfort: 1,
    });
    assert.equal(score.total, undefined);
    assert.equal(
      scoreInstrument(PLACEHOLDER_EQ5D, {
        mobility: 1,
        self_care: 1,
        usual_activities: 1,
        pain_discomfort: 1,
        anxiety_depression: 1,
      }).total,
      1,
    );
  });

  it('rejects unknown items and out-of-range or fractional responses, all at once', () => {
    assert.throws(
      () => scoreInstrument(FOUR_ITEMS, { q1: 4, q2: 1.5, q3: -1, q9: 1 }),
      (error: unknown) => {
        assert.ok(error instanceof InstrumentResponseError);
        assert.equal(error.code, 'instrument_response_invalid');
        assert.deepEqual(
          error.problems.map((problem) => problem.message),
          [
            'four responses require items of the instrument (got unknown item "q9")',
            'four item q1 requires a whole number in [0, 3] (got 4)',
            'four item q2 requires a whole number in [0, 3] (got 1.5)',
            'four item q3 requires a whole number in [0, 3] (got -1)',
          ],
        );
        return true;
      },
    );
  });
});

describe('checkInstrumentDefinition', () => {
  it('accepts every placeholder instrument', () => {
    for (const instrument of PLACEHOLDER_INSTRUMENTS) {
      const problems: { path: string; code: string; message: string }[] = [];
      checkInstrumentDefinition(instrument, 'instrument', problems);
      assert.deepEqual(problems, [], instrument.id);
    }
  });

  it('reports every problem of a broken definition', () => {
    const broken = {
      id: '1bad',
      name: '',
      construct: 'hope',
      minimum: 3,
      maximum: 3,
      items: [
        { id: 'a', text: 'a' },
        { id: 'a', text: 'a', minimum: 0, maximum: 1 },
      ],
      subscales: [
        { id: 's', label: 's', items: ['zz'] },
        { id: 's', label: 's', items: ['a'], minimumAnswered: 2 },
      ],
      scoring: { kind: 'median' },
      minimumAnswered: 5,
    } as unknown as InstrumentDefinition;
    const problems: { path: string; code: string; message: string }[] = [];
    checkInstrumentDefinition(broken, 'instruments[0]', problems);
    assert.deepEqual(
      problems.map((problem) => `${problem.path}: ${problem.message}`),
      [
        'instruments[0].id: instrument id requires letters, digits and _ (got "1bad")',
        'instruments[0].name: instrument "1bad" requires a name (got "")',
        'instruments[0].minimum: instrument "1bad" requires whole-number minimum < maximum (got 3, 3)',
        'instruments[0].items[0]: instrument "1bad" item "a" requires whole-number minimum < maximum (got 3, 3)',
        'instruments[0].items[1].id: instrument "1bad" items require distinct ids (got "a" twice)',
        'instruments[0].minimumAnswered: instrument "1bad" minimumAnswered requires a whole number in [1, 2] (got 5)',
        'instruments[0].subscales[0]: instrument "1bad" subscale "s" requires items of the instrument (got "zz")',
        'instruments[0].subscales[1]: instrument "1bad" subscales require distinct ids (got "s" twice)',
        'instruments[0].subscales[1].minimumAnswered: instrument "1bad" subscale "s" minimumAnswered requires a whole number in [1, 1] (got 2)',
        'instruments[0].scoring: instrument "1bad" scoring requires "sum", "mean" or "utility" (got "median")',
      ],
    );
    assert.ok(problems.every((problem) => problem.code === 'trial_config_invalid'));
  });

  it('checks a utility instrument: no subscales, no prorating, a decrement per level of every item', () => {
    const broken: InstrumentDefinition = {
      ...PLACEHOLDER_EQ5D,
      subscales: [{ id: 'x', label: 'x', items: ['mobility'] }],
      minimumAnswered: 4,
      scoring: {
        kind: 'utility',
        valueSet: {
          ...EQ5D_3L_UK_TTO_VALUE_SET,
          decrements: {},
          constant: Number.NaN,
        },
      },
    };
    const problems: { path: string; code: string; message: string }[] = [];
    checkInstrumentDefinition(broken, 'eq', problems);
    assert.deepEqual(problems.map((problem) => problem.message).slice(0, 4), [
      'instrument "eq5d" with utility scoring requires no subscales',
      'instrument "eq5d" with utility scoring requires every item answered (minimumAnswered 5; got 4)',
      'instrument "eq5d" value set requires finite constant and anyLevel3',
      'instrument "eq5d" value set requires levels 1..3 and a finite decrement per level for item "mobility" (got undefined)',
    ]);
    assert.equal(problems.length, 8);
  });
});
