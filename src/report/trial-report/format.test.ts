import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  formatCountPercent,
  formatDecimal,
  formatEstimateInterval,
  formatMeanSd,
  formatPercentagePoints,
  formatPSentence,
  formatPValue,
  formatRatio,
  lowerFirst,
} from './format.ts';

// The conventions of a trial report (CONSORT/ICMJE style): literal strings, no computation.
describe('trial report number formats', () => {
  it('ratios to 2 dp, rounding as sprintf("%.2f") does', () => {
    assert.equal(formatRatio(0.9312), '0.93');
    assert.equal(formatRatio(1.3034), '1.30');
    assert.equal(formatRatio(12), '12.00');
    assert.equal(formatRatio(Number.NaN), 'NA');
    assert.equal(formatRatio(null), 'NA');
    assert.equal(formatRatio(Number.POSITIVE_INFINITY), 'NA');
  });

  it('p-values to 3 dp with <0.001', () => {
    assert.equal(formatPValue(0.6777), '0.678');
    assert.equal(formatPValue(0.04), '0.040');
    assert.equal(formatPValue(0.001), '0.001');
    assert.equal(formatPValue(0.000999), '<0.001');
    assert.equal(formatPValue(1e-20), '<0.001');
    assert.equal(formatPValue(1), '1.000');
    assert.equal(formatPValue(Number.NaN), 'NA');
    assert.equal(formatPSentence(0.0305), 'p = 0.030');
    assert.equal(formatPSentence(0.0001), 'p < 0.001');
  });

  it('percentages to 1 dp, counts with their percentage', () => {
    assert.equal(formatCountPercent(136, 287), '136 (47.4%)');
    assert.equal(formatCountPercent(146, 291), '146 (50.2%)');
    assert.equal(formatCountPercent(0, 0), '0 (NA)');
    assert.equal(formatPercentagePoints(136 / 287 - 146 / 291), '\u22122.8');
  });

  it('negative numbers with a typographic minus, never a negative zero', () => {
    assert.equal(formatDecimal(-0.42, 2), '\u22120.42');
    assert.equal(formatDecimal(-0.0004, 2), '0.00');
    assert.equal(formatMeanSd(43.46, 14.84), '43.5 (14.8)');
    assert.equal(formatMeanSd(null, null), 'NA (NA)');
    assert.equal(
      formatEstimateInterval(-0.42, -3.1, 2.26, (value) => formatDecimal(value, 2)),
      '\u22120.42 (\u22123.10 to 2.26)',
    );
  });

  it('lowers the first letter of a word but not of an abbreviation', () => {
    assert.equal(lowerFirst('Peer support'), 'peer support');
    assert.equal(lowerFirst('A&E episodes'), 'A&E episodes');
    assert.equal(lowerFirst('EQ-5D utility'), 'EQ-5D utility');
  });
});
