import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { assertDeepClose } from '../../../test/helpers/approx.ts';
import { fixturePath, readFixture } from '../../../test/helpers/fixtures.ts';
import { createTable } from '../../table/csv.ts';
import { parseCsv } from '../../table/index.ts';
import { FormulaError, ModelDataError } from '../errors.ts';
import { parseFormula } from './formula.ts';
import { buildModelFrame, withoutIntercept } from './model-frame.ts';

interface ModelFrameCase {
  data: string;
  formula: string;
  n: number;
  n_dropped: number;
  column_names: string[];
  assign: number[];
  values: number[];
}

function loadTable(name: string) {
  return parseCsv(readFileSync(fixturePath(`data/${name}`)), name);
}

describe('buildModelFrame agrees with R model.frame() + model.matrix()', () => {
  const fixture = readFixture<{ cases: ModelFrameCase[] }>('model-frame.json');
  for (const expected of fixture.cases) {
    // reference/model-frame.R: model.matrix(formula, model.frame(formula, data, na.action = na.omit))
    it(`${expected.formula} on ${expected.data}`, () => {
      const table = loadTable(expected.data);
      const frame = buildModelFrame(table, parseFormula(expected.formula, table.columnNames));
      assert.equal(frame.rowCount, expected.n);
      assert.equal(frame.droppedCount, expected.n_dropped);
      assert.deepEqual(frame.design.columnNames, expected.column_names);
      assert.deepEqual(frame.design.assign, expected.assign);
      // Indicators and products of the same CSV values are exact; log() may differ from R's libm by a
      // couple of units in the last place, hence 1e-14 rather than 0.
      assertDeepClose(Array.from(frame.design.values), expected.values, { relative: 1e-14 });
    });
  }
});

describe('buildModelFrame', () => {
  const table = createTable(
    'inline.csv',
    [
      { kind: 'numeric', name: 'y', values: Float64Array.from([1, 2, Number.NaN, 4]) },
      { kind: 'categorical', name: 'arm', levels: ['a', 'b'], codes: Int32Array.from([0, 1, 0, -1]) },
      { kind: 'categorical', name: 'note', levels: ['1', 'x'], codes: Int32Array.from([0, 1, 0, 0]) },
      { kind: 'numeric', name: 'time', values: Float64Array.from([5, 6, 7, 8]) },
    ],
    4,
  );

  it('records the data row of every kept row', () => {
    const frame = buildModelFrame(table, parseFormula('y ~ arm'));
    assert.deepEqual(Array.from(frame.rowNumbers), [1, 2]);
    assert.equal(frame.droppedCount, 2);
  });

  it('drops the intercept column for Cox models but keeps contrasts', () => {
    const frame = buildModelFrame(table, parseFormula('Surv(time, y) ~ arm'));
    const design = withoutIntercept(frame.design);
    assert.deepEqual(design.columnNames, ['armb']);
    assert.deepEqual(Array.from(design.values), [0, 1]);
  });

  it('names an unknown column and the columns there are', () => {
    assert.throws(() => buildModelFrame(table, parseFormula('y ~ agee')), {
      name: 'FormulaError',
      message: 'formula term agee requires a column "agee" in inline.csv (got columns y, arm, note, time)',
    });
  });

  it('rejects a function of a categorical column', () => {
    assert.throws(
      () => buildModelFrame(table, parseFormula('y ~ log(arm)')),
      (error: unknown) => {
        assert.ok(error instanceof FormulaError);
        assert.equal(
          error.message,
          'formula term log(arm) requires a numeric column "arm" (got non-numeric values such as "a")',
        );
        return true;
      },
    );
  });

  it('rejects a non-numeric survival time, naming the cell and row', () => {
    assert.throws(
      () => buildModelFrame(table, parseFormula('Surv(note, y) ~ 1')),
      (error: unknown) => {
        assert.ok(error instanceof ModelDataError);
        assert.equal(
          error.message,
          'Surv() requires a numeric time column "note" (got "x" in row 2 of inline.csv)',
        );
        return true;
      },
    );
  });

  it('rejects a factor left with one level', () => {
    const oneLevel = createTable(
      'one.csv',
      [
        { kind: 'numeric', name: 'y', values: Float64Array.from([1, 2]) },
        { kind: 'categorical', name: 'g', levels: ['a', 'b'], codes: Int32Array.from([0, 0]) },
      ],
      2,
    );
    assert.throws(() => buildModelFrame(oneLevel, parseFormula('y ~ g')), {
      name: 'FormulaError',
      message: 'factor g requires at least 2 levels among the rows used (got 1: a)',
    });
  });

  it('rejects data with no complete row', () => {
    const empty = createTable(
      'empty.csv',
      [{ kind: 'numeric', name: 'y', values: Float64Array.from([Number.NaN]) }],
      1,
    );
    assert.throws(() => buildModelFrame(empty, parseFormula('y ~ 1')), {
      name: 'ModelDataError',
      message:
        'a model requires at least one row with no missing value in y (got none of 1 rows in empty.csv)',
    });
  });
});
