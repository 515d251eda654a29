import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FormulaError } from '../errors.ts';
import { parseFormula } from './formula.ts';

const termLabels = (text: string, columns: string[] = []) =>
  parseFormula(text, columns).terms.map((term) => term.label);

describe('parseFormula', () => {
  // Expected term labels are R's: attr(terms(formula), "term.labels").
  it('expands operators as terms.formula does', () => {
    assert.deepEqual(termLabels('y ~ a * b'), ['a', 'b', 'a:b']);
    assert.deepEqual(termLabels('y ~ a:b + a'), ['a', 'a:b']);
    assert.deepEqual(termLabels('Days ~ Sex/(Age + Eth*Lrn)'), [
      'Sex',
      'Sex:Age',
      'Sex:Eth',
      'Sex:Lrn',
      'Sex:Eth:Lrn',
    ]);
    assert.deepEqual(termLabels('y ~ (a + b + c)^2'), ['a', 'b', 'c', 'a:b', 'a:c', 'b:c']);
    assert.deepEqual(termLabels('y ~ a * b - a:b'), ['a', 'b']);
    assert.deepEqual(termLabels('y ~ b:a + a'), ['a', 'b:a']);
    assert.deepEqual(termLabels('y ~ .', ['y', 'x1', 'x2']), ['x1', 'x2']);
  });

  it('tracks the intercept: - 1, + 0, and a later + 1', () => {
    assert.equal(parseFormula('y ~ a - 1').hasIntercept, false);
    assert.equal(parseFormula('y ~ 0 + a').hasIntercept, false);
    assert.equal(parseFormula('y ~ -1 + a').hasIntercept, false);
    assert.equal(parseFormula('y ~ a - 1 + 1').hasIntercept, true);
    assert.equal(parseFormula('~ 1').hasIntercept, true);
    assert.deepEqual(parseFormula('~ 1').terms, []);
  });

  it('reads transformed variables and Surv() responses', () => {
    const formula = parseFormula('Surv(days, readmitted) ~ factor(site) + log(age)');
    assert.deepEqual(formula.response, {
      kind: 'survival',
      time: { label: 'days', column: 'days', transform: 'none' },
      event: { label: 'readmitted', column: 'readmitted', transform: 'none' },
      label: 'Surv(days, readmitted)',
    });
    assert.deepEqual(
      formula.variables.map((variable) => [variable.label, variable.column, variable.transform]),
      [
        ['factor(site)', 'site', 'factor'],
        ['log(age)', 'age', 'log'],
      ],
    );
  });

  it('accepts backquoted column names', () => {
    assert.deepEqual(termLabels('y ~ `first language`'), ['`first language`']);
    assert.equal(parseFormula('y ~ `first language`').variables[0]?.column, 'first language');
  });

  const errors: [string, string][] = [
    ['y a', 'a formula requires ~ between the response and the terms (got "y a")'],
    [
      'y ~ ',
      'formula "y ~ " requires a variable, a number or "(" at character 5 (got the end of the formula)',
    ],
    ['y ~ (a + b', 'formula "y ~ (a + b" requires ")" at character 11 (got the end of the formula)'],
    [
      'y ~ a $ b',
      'formula "y ~ a $ b" requires a variable, operator or parenthesis at character 7 (got "$ b")',
    ],
    [
      'y ~ poly(x)',
      'a formula supports the functions factor, as.factor, log, sqrt, exp and Surv (got "poly(" at character 5)',
    ],
    ['a + b ~ c', 'a formula requires a single variable or Surv(time, event) on the left of ~ (got "a + b")'],
    ['y ~ Surv(t, e)', 'a formula allows Surv(time, event) only on the left of ~'],
    ['y ~ a + 2', 'a formula term requires a variable, 0 or 1 (got the number 2)'],
    ['y ~ a^b', 'a formula requires a positive whole number after ^ (got "y ~ a^b")'],
  ];
  for (const [text, message] of errors) {
    it(`rejects ${JSON.stringify(text)} with a message naming the problem`, () => {
      assert.throws(
        () => parseFormula(text),
        (error: unknown) => {
          assert.ok(error instanceof FormulaError);
          assert.equal(error.code, 'formula_invalid');
          assert.equal(error.message, message);
          return true;
        },
      );
    });
  }
});
