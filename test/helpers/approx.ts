import assert from 'node:assert/strict';

/** Tolerance for comparing a computed number with an R reference value. */
export interface Tolerance {
  /** Largest allowed |actual - expected| / |expected|. */
  relative: number;
  /**
   * Floor for values that are zero in exact arithmetic (R prints 1e-17 where the truth is 0): the
   * difference passes when it is below this, whatever the relative error.
   */
  absolute?: number;
}

/** Asserts that two numbers agree within `tolerance`; `where` names the value in the failure message. */
export function assertClose(actual: number, expected: number, tolerance: Tolerance, where = 'value'): void {
  if (Number.isNaN(expected) || !Number.isFinite(expected)) {
    assert.equal(actual, expected, `${where}: expected ${expected}, got ${actual}`);
    return;
  }
  assert.equal(typeof actual, 'number', `${where}: expected a number, got ${actual}`);
  const difference = Math.abs(actual - expected);
  if (difference <= (tolerance.absolute ?? 0)) return;
  const relativeError = difference / Math.abs(expected);
  assert.ok(
    relativeError <= tolerance.relative,
    `${where}: expected ${expected}, got ${actual} (relative error ${relativeError.toExponential(2)} > ${tolerance.relative})`,
  );
}

/**
 * Compares a JSON-like value with a reference: numbers within `tolerance`, everything else exactly,
 * same keys on both sides, so a field the reference does not hold fails rather than going unchecked (strip
 * such a field in the test, say why, and check it there).
 */
export function assertDeepClose(actual: unknown, expected: unknown, tolerance: Tolerance, where = '$'): void {
  if (typeof expected === 'number') {
    assertClose(actual as number, expected, tolerance, where);
  } else if (Array.isArray(expected)) {
    assert.ok(Array.isArray(actual), `${where}: expected an array, got ${JSON.stringify(actual)}`);
    assert.equal(
      actual.length,
      expected.length,
      `${where}: expected length ${expected.length}, got ${actual.length}`,
    );
    expected.forEach((item, index) => {
      assertDeepClose(actual[index], item, tolerance, `${where}[${index}]`);
    });
  } else if (expected !== null && typeof expected === 'object') {
    assert.ok(actual !== null && typeof actual === 'object', `${where}: expected an object, got ${actual}`);
    const unchecked = Object.keys(actual).filter((key) => !(key in expected));
    assert.deepEqual(unchecked, [], `${where}: keys not in the reference: ${unchecked.join(', ')}`);
    for (const [key, value] of Object.entries(expected)) {
      assert.ok(key in actual, `${where}.${key}: missing`);
      assertDeepClose((actual as Record<string, unknown>)[key], value, tolerance, `${where}.${key}`);
    }
  } else {
    assert.deepEqual(
      actual,
      expected,
      `${where}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`,
    );
  }
}
