import { type DataProblem, InstrumentResponseError } from '../errors.ts';
import type { InstrumentDefinition, InstrumentItem, InstrumentSubscale, UtilityValueSet } from './types.ts';

/** The score of one instrument administration, computed from its item responses. */
export interface InstrumentScore {
  /** The total; `undefined` when fewer than `minimumAnswered` items were answered (the score is missing). */
  readonly total: number | undefined;
  /** Subscale id -> score (same rule as the total, with the subscale's own threshold). */
  readonly subscales: Readonly<Record<string, number | undefined>>;
  /** Items answered (out of `instrument.items.length`). */
  readonly answered: number;
  /** True when the total exists although some items were unanswered (a prorated sum or a mean of fewer items). */
  readonly prorated: boolean;
}

/** An item's response range (the item's own, else the instrument's). */
export function itemRange(instrument: InstrumentDefinition, item: InstrumentItem): [number, number] {
  return [item.minimum ?? instrument.minimum, item.maximum ?? instrument.maximum];
}

/**
 * The fewest answered items a subscale needs: its own `minimumAnswered`, else the instrument's threshold
 * scaled to the subscale, `ceil(minimumAnswered × subscale items / instrument items)`.
 *
 * @example
 * subscaleMinimum({ minimumAnswered: 8, items: new Array(10) }, { items: ['a', 'b', 'c', 'd', 'e'] }); // 4
 */
export function subscaleMinimum(
  instrument: Pick<InstrumentDefinition, 'minimumAnswered' | 'items'>,
  subscale: Pick<InstrumentSubscale, 'items' | 'minimumAnswered'>,
): number {
  if (subscale.minimumAnswered !== undefined) return subscale.minimumAnswered;
  return Math.ceil((instrument.minimumAnswered * subscale.items.length) / instrument.items.length);
}

/**
 * Scores an instrument from its item responses: reverse-scored items become `minimum + maximum − response`,
 * then the scoring rule applies to the answered items.
 *
 * - `sum`: with every item answered, the sum. With at least `minimumAnswered` answered, the prorated sum:
 *   the mean of the answered items times the number of items (`mean(x, na.rm = TRUE) * length(x)` in R),
 *   the usual psychometric rule that assumes a missing item is like the person's other items.
 * - `mean`: the mean of the answered items (prorating is implicit).
 * - `utility`: a value-set utility ({@link UtilityValueSet}); every item is needed (no prorating).
 *
 * Below the threshold the score is missing (`undefined`); that is missing data, not an error. Subscales use
 * the same rule on their items with {@link subscaleMinimum}. O(items).
 *
 * @throws InstrumentResponseError for every response to an unknown item, or that is not a whole number in
 *   the item's range (`null` or absent = unanswered).
 * @example
 * scoreInstrument(fourItemsSum0to3MinimumThree, { q1: 3, q2: 2, q3: null, q4: 1 });
 * // { total: 8, subscales: {}, answered: 3, prorated: true }   (mean 2 × 4 items)
 */
export function scoreInstrument(
  instrument: InstrumentDefinition,
  responses: Readonly<Record<string, number | null | undefined>>,
): InstrumentScore {
  const problems: DataProblem[] = [];
  const itemsById = new Map(instrument.items.map((item) => [item.id, item]));
  for (const id of Object.keys(responses)) {
    if (!itemsById.has(id)) {
      problems.push({
        path: `${instrument.id}.${id}`,
        code: 'instrument_response_invalid',
        message: `${instrument.id} responses require items of the instrument (got unknown item "${id}")`,
      });
    }
  }
  const scored = new Map<string, number>();
  for (const item of instrument.items) {
    const value = responses[item.id];
    if (value === null || value === undefined) continue;
    const [minimum, maximum] = itemRange(instrument, item);
    if (typeof value !== 'number' || !Number.isInteger(value) || value < minimum || value > maximum) {
      problems.push({
        path: `${instrument.id}.${item.id}`,
        code: 'instrument_response_invalid',
        message: `${instrument.id} item ${item.id} requires a whole number in [${minimum}, ${maximum}] (got ${JSON.stringify(value)})`,
      });
      continue;
    }
    scored.set(item.id, item.reverse ? minimum + maximum - value : value);
  }
  if (problems.length > 0) throw new InstrumentResponseError(problems);

  const itemIds = instrument.items.map((item) => item.id);
  const total = scoreItems(instrument, itemIds, scored, instrument.minimumAnswered);
  const subscales: Record<string, number | undefined> = {};
  for (const subscale of instrument.subscales) {
    subscales[subscale.id] = scoreItems(
      instrument,
      subscale.items,
      scored,
      subscaleMinimum(instrument, subscale),
    );
  }
  return {
    total,
    subscales,
    answered: scored.size,
    prorated: total !== undefined && scored.size < itemIds.length,
  };
}

function scoreItems(
  instrument: InstrumentDefinition,
  itemIds: readonly string[],
  scored: ReadonlyMap<string, number>,
  minimumAnswered: number,
): number | undefined {
  const values: number[] = [];
  for (const id of itemIds) {
    const value = scored.get(id);
    if (value !== undefined) values.push(value);
  }
  if (values.length < minimumAnswered || values.length === 0) return undefined;
  const rule = instrument.scoring;
  if (rule.kind === 'utility') {
    if (values.length < itemIds.length) return undefined;
    return utilityOf(rule.valueSet, itemIds, scored);
  }
  const sum = values.reduce((accumulator, value) => accumulator + value, 0);
  const mean = sum / values.length;
  if (rule.kind === 'mean') return mean;
  return values.length === itemIds.length ? sum : mean * itemIds.length;
}

/**
 * The utility of a health state under a value set: 1 − constant (when any dimension is above level 1) − the
 * decrement of each dimension's level − `anyLevel3` (when any dimension is at level 3).
 */
function utilityOf(
  valueSet: UtilityValueSet,
  itemIds: readonly string[],
  levels: ReadonlyMap<string, number>,
): number {
  let utility = 1;
  let anyAboveOne = false;
  let anyThree = false;
  for (const id of itemIds) {
    const level = levels.get(id) as number;
    if (level > 1) anyAboveOne = true;
    if (level === 3) anyThree = true;
    utility -= valueSet.decrements[id]?.[level - 1] ?? 0;
  }
  if (anyAboveOne) utility -= valueSet.constant;
  if (anyThree) utility -= valueSet.anyLevel3;
  return utility;
}

/**
 * Checks an instrument definition, pushing every problem (path prefix `path`): a name and id, at least one
 * item, distinct item ids, whole-number ranges with minimum < maximum, subscales over known items with
 * thresholds in [1, items], `minimumAnswered` a whole number in [1, items], a utility instrument with every
 * item decremented for each level of its range (1-based levels), no subscales and no prorating.
 */
export function checkInstrumentDefinition(
  instrument: InstrumentDefinition,
  path: string,
  problems: DataProblem[],
): void {
  const problem = (where: string, message: string) =>
    problems.push({ path: `${path}${where}`, code: 'trial_config_invalid', message });
  if (instrument === null || typeof instrument !== 'object') {
    problem('', `instrument requires an object (got ${JSON.stringify(instrument)})`);
    return;
  }
  const label = `instrument "${instrument.id}"`;
  if (typeof instrument.id !== 'string' || !/^[A-Za-z][A-Za-z0-9_]*$/.test(instrument.id)) {
    problem('.id', `instrument id requires letters, digits and _ (got ${JSON.stringify(instrument.id)})`);
  }
  if (typeof instrument.name !== 'string' || instrument.name.trim() === '') {
    problem('.name', `${label} requires a name (got ${JSON.stringify(instrument.name)})`);
  }
  const rangeOk = (minimum: unknown, maximum: unknown) =>
    Number.isInteger(minimum) && Number.isInteger(maximum) && (minimum as number) < (maximum as number);
  if (!rangeOk(instrument.minimum, instrument.maximum)) {
    problem(
      '.minimum',
      `${label} requires whole-number minimum < maximum (got ${instrument.minimum}, ${instrument.maximum})`,
    );
  }
  const items = Array.isArray(instrument.items) ? instrument.items : [];
  if (items.length === 0) problem('.items', `${label} requires at least one item (got none)`);
  const ids = new Set<string>();
  items.forEach((item, index) => {
    if (typeof item?.id !== 'string' || item.id === '') {
      problem(`.items[${index}].id`, `${label} item requires an id (got ${JSON.stringify(item?.id)})`);
    } else if (ids.has(item.id)) {
      problem(`.items[${index}].id`, `${label} items require distinct ids (got "${item.id}" twice)`);
    }
    ids.add(item?.id);
    const minimum = item?.minimum ?? instrument.minimum;
    const maximum = item?.maximum ?? instrument.maximum;
    if (!rangeOk(minimum, maximum)) {
      problem(
        `.items[${index}]`,
        `${label} item "${item?.id}" requires whole-number minimum < maximum (got ${minimum}, ${maximum})`,
      );
    }
  });
  const minimumAnswered = instrument.minimumAnswered;
  if (!Number.isInteger(minimumAnswered) || minimumAnswered < 1 || minimumAnswered > items.length) {
    problem(
      '.minimumAnswered',
      `${label} minimumAnswered requires a whole number in [1, ${items.length}] (got ${minimumAnswered})`,
    );
  }
  const subscales = Array.isArray(instrument.subscales) ? instrument.subscales : [];
  const subscaleIds = new Set<string>();
  subscales.forEach((subscale, index) => {
    const where = `.subscales[${index}]`;
    if (subscaleIds.has(subscale.id)) {
      problem(where, `${label} subscales require distinct ids (got "${subscale.id}" twice)`);
    }
    subscaleIds.add(subscale.id);
    const subItems = Array.isArray(subscale.items) ? subscale.items : [];
    if (subItems.length === 0) problem(where, `${label} subscale "${subscale.id}" requires items (got none)`);
    for (const id of subItems) {
      if (!ids.has(id)) {
        problem(where, `${label} subscale "${subscale.id}" requires items of the instrument (got "${id}")`);
      }
    }
    if (subscale.minimumAnswered !== undefined) {
      const value = subscale.minimumAnswered;
      if (!Number.isInteger(value) || value < 1 || value > subItems.length) {
        problem(
          `${where}.minimumAnswered`,
          `${label} subscale "${subscale.id}" minimumAnswered requires a whole number in [1, ${subItems.length}] (got ${value})`,
        );
      }
    }
  });
  const scoring = instrument.scoring;
  if (scoring?.kind === 'utility') {
    if (subscales.length > 0) problem('.subscales', `${label} with utility scoring requires no subscales`);
    if (minimumAnswered !== items.length) {
      problem(
        '.minimumAnswered',
        `${label} with utility scoring requires every item answered (minimumAnswered ${items.length}; got ${minimumAnswered})`,
      );
    }
    const valueSet = scoring.valueSet;
    if (!Number.isFinite(valueSet?.constant) || !Number.isFinite(valueSet?.anyLevel3)) {
      problem('.scoring.valueSet', `${label} value set requires finite constant and anyLevel3`);
    }
    for (const item of items) {
      const maximum = item.maximum ?? instrument.maximum;
      const minimum = item.minimum ?? instrument.minimum;
      const decrements = valueSet?.decrements?.[item.id];
      if (
        minimum !== 1 ||
        !Array.isArray(decrements) ||
        decrements.length !== maximum ||
        !decrements.every(Number.isFinite)
      ) {
        problem(
          '.scoring.valueSet',
          `${label} value set requires levels 1..${maximum} and a finite decrement per level for item "${item.id}" (got ${JSON.stringify(decrements)})`,
        );
      }
    }
  } else if (scoring?.kind !== 'sum' && scoring?.kind !== 'mean') {
    const got = (scoring as { kind?: unknown } | undefined)?.kind;
    problem('.scoring', `${label} scoring requires "sum", "mean" or "utility" (got ${JSON.stringify(got)})`);
  }
}
