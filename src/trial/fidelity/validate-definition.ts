import type { DataProblem } from '../errors.ts';
import { FidelityIndexError } from './errors.ts';
import {
  FIDELITY_INFORMANTS,
  FIDELITY_PARTS,
  type FidelityBand,
  type FidelityIndexDefinition,
} from './types.ts';

const ID_PATTERN = /^[A-Za-z][A-Za-z0-9_]*$/;
const TOP_LEVEL_KEYS = [
  'id',
  'name',
  'version',
  'note',
  'scale',
  'domains',
  'items',
  'scoring',
  'bands',
  'disagreementThreshold',
] as const;

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function show(value: unknown): string {
  return value === undefined ? 'nothing' : JSON.stringify(value);
}

/**
 * Checks a fidelity index definition (parsed JSON, camelCase or snake_case keys for `disagreement_threshold`)
 * and returns it typed. Every problem is collected: unknown keys; ids that are not letters, digits and `_`;
 * a whole-number scale minimum < maximum with exactly one anchor per point, in order; at least one domain and
 * distinct domain ids; items with distinct ids, a known domain, a part (`setup` | `delivery`), at least one
 * known informant (`peer_worker` | `supervisor` | `person_supported`) and text; every domain rated in some
 * part; scoring rules; bands listed high to low with strictly decreasing minimums inside the scale, the last
 * at the scale minimum; a disagreement threshold of at least 1. O(items).
 * @throws FidelityIndexError (code `fidelity_index_invalid`) listing every problem, paths like `items[3].part`.
 * @example validateFidelityIndex(JSON.parse(JSON.stringify(FIDELITY_INDEX_TEMPLATE))).items.length // 16
 */
export function validateFidelityIndex(input: unknown, source = 'fidelity index'): FidelityIndexDefinition {
  const problems: DataProblem[] = [];
  const problem = (path: string, message: string) =>
    problems.push({ path: `${source}: ${path}`, code: 'fidelity_index_invalid', message });
  if (!isObject(input)) {
    problem('', `a fidelity index requires a JSON object (got ${show(input)})`);
    throw new FidelityIndexError(problems);
  }
  const definition = { ...input };
  if ('disagreement_threshold' in definition && !('disagreementThreshold' in definition)) {
    definition.disagreementThreshold = definition.disagreement_threshold;
    delete definition.disagreement_threshold;
  }
  for (const key of Object.keys(definition)) {
    if (!(TOP_LEVEL_KEYS as readonly string[]).includes(key)) {
      problem(key, `a fidelity index requires only the keys ${TOP_LEVEL_KEYS.join(', ')} (got "${key}")`);
    }
  }
  for (const key of ['id', 'name', 'version'] as const) {
    const value = definition[key];
    if (typeof value !== 'string' || value.trim() === '') {
      problem(key, `a fidelity index requires a non-empty ${key} (got ${show(value)})`);
    }
  }
  if (typeof definition.id === 'string' && definition.id !== '' && !ID_PATTERN.test(definition.id)) {
    problem('id', `a fidelity index id requires letters, digits and _ (got ${show(definition.id)})`);
  }
  if (definition.note !== undefined && typeof definition.note !== 'string') {
    problem('note', `a fidelity index note requires a string (got ${show(definition.note)})`);
  }

  // Scale and anchors.
  const scale = definition.scale;
  let minimum = Number.NaN;
  let maximum = Number.NaN;
  if (!isObject(scale)) {
    problem(
      'scale',
      `a fidelity index requires a scale object { minimum, maximum, anchors } (got ${show(scale)})`,
    );
  } else if (
    !Number.isInteger(scale.minimum) ||
    !Number.isInteger(scale.maximum) ||
    (scale.minimum as number) >= (scale.maximum as number)
  ) {
    problem(
      'scale',
      `a fidelity scale requires whole-number minimum < maximum (got ${show(scale.minimum)}, ${show(scale.maximum)})`,
    );
  } else {
    minimum = scale.minimum as number;
    maximum = scale.maximum as number;
    const anchors = scale.anchors;
    const points = maximum - minimum + 1;
    if (!Array.isArray(anchors) || anchors.length !== points) {
      problem(
        'scale.anchors',
        `a fidelity scale requires one anchor per point, ${points} for ${minimum}-${maximum} (got ${Array.isArray(anchors) ? anchors.length : show(anchors)})`,
      );
    } else {
      anchors.forEach((anchor: unknown, index) => {
        const expected = minimum + index;
        if (
          !isObject(anchor) ||
          anchor.value !== expected ||
          typeof anchor.label !== 'string' ||
          anchor.label === ''
        ) {
          problem(
            `scale.anchors[${index}]`,
            `a scale anchor requires { value: ${expected}, label } in order (got ${show(anchor)})`,
          );
        }
      });
    }
  }

  // Domains.
  const domainIds = new Set<string>();
  if (!Array.isArray(definition.domains) || definition.domains.length === 0) {
    problem('domains', `a fidelity index requires at least one domain (got ${show(definition.domains)})`);
  } else {
    definition.domains.forEach((domain: unknown, index) => {
      if (!isObject(domain) || typeof domain.id !== 'string' || !ID_PATTERN.test(domain.id)) {
        problem(
          `domains[${index}].id`,
          `a domain id requires letters, digits and _ (got ${show(isObject(domain) ? domain.id : domain)})`,
        );
        return;
      }
      if (domainIds.has(domain.id))
        problem(`domains[${index}].id`, `domains require distinct ids (got "${domain.id}" twice)`);
      domainIds.add(domain.id);
      if (typeof domain.label !== 'string' || domain.label.trim() === '') {
        problem(
          `domains[${index}].label`,
          `domain "${domain.id}" requires a label (got ${show(domain.label)})`,
        );
      }
    });
  }

  // Items.
  const itemIds = new Set<string>();
  const ratedDomains = new Set<string>();
  if (!Array.isArray(definition.items) || definition.items.length === 0) {
    problem('items', `a fidelity index requires at least one item (got ${show(definition.items)})`);
  } else {
    definition.items.forEach((item: unknown, index) => {
      const path = `items[${index}]`;
      if (!isObject(item)) {
        problem(path, `an item requires an object (got ${show(item)})`);
        return;
      }
      if (typeof item.id !== 'string' || !ID_PATTERN.test(item.id)) {
        problem(`${path}.id`, `an item id requires letters, digits and _ (got ${show(item.id)})`);
      } else if (itemIds.has(item.id)) {
        problem(`${path}.id`, `items require distinct ids (got "${item.id}" twice)`);
      } else {
        itemIds.add(item.id);
      }
      if (typeof item.domain !== 'string' || !domainIds.has(item.domain)) {
        problem(
          `${path}.domain`,
          `item ${show(item.id)} requires a domain of the index (got ${show(item.domain)})`,
        );
      } else {
        ratedDomains.add(item.domain);
      }
      if (!(FIDELITY_PARTS as readonly unknown[]).includes(item.part)) {
        problem(
          `${path}.part`,
          `item ${show(item.id)} requires part setup or delivery (got ${show(item.part)})`,
        );
      }
      const informants = item.informants;
      if (
        !Array.isArray(informants) ||
        informants.length === 0 ||
        informants.some((informant) => !(FIDELITY_INFORMANTS as readonly unknown[]).includes(informant)) ||
        new Set(informants).size !== informants.length
      ) {
        problem(
          `${path}.informants`,
          `item ${show(item.id)} requires distinct informants from ${FIDELITY_INFORMANTS.join(', ')} (got ${show(informants)})`,
        );
      }
      if (typeof item.text !== 'string' || item.text.trim() === '') {
        problem(`${path}.text`, `item ${show(item.id)} requires text (got ${show(item.text)})`);
      }
      if (item.placeholder !== undefined && typeof item.placeholder !== 'boolean') {
        problem(
          `${path}.placeholder`,
          `item ${show(item.id)} placeholder requires true or false (got ${show(item.placeholder)})`,
        );
      }
    });
  }
  for (const id of domainIds) {
    if (Array.isArray(definition.items) && definition.items.length > 0 && !ratedDomains.has(id)) {
      problem('items', `domain "${id}" requires at least one item (got none)`);
    }
  }

  // Scoring.
  const scoring = definition.scoring;
  if (
    !isObject(scoring) ||
    !['mean_of_items', 'mean_of_domains'].includes(scoring.part as string) ||
    !['mean_of_items', 'mean_of_parts'].includes(scoring.overall as string) ||
    Object.keys(scoring).some((key) => key !== 'part' && key !== 'overall')
  ) {
    problem(
      'scoring',
      `scoring requires { part: mean_of_items | mean_of_domains, overall: mean_of_items | mean_of_parts } (got ${show(scoring)})`,
    );
  }

  // Bands.
  const bands = definition.bands;
  if (!Array.isArray(bands) || bands.length === 0) {
    problem('bands', `a fidelity index requires at least one band (got ${show(bands)})`);
  } else {
    const bandIds = new Set<string>();
    let previous = Number.POSITIVE_INFINITY;
    bands.forEach((band: unknown, index) => {
      const path = `bands[${index}]`;
      if (
        !isObject(band) ||
        typeof band.id !== 'string' ||
        !ID_PATTERN.test(band.id) ||
        typeof band.label !== 'string'
      ) {
        problem(path, `a band requires { id, label, minimum } (got ${show(band)})`);
        return;
      }
      if (bandIds.has(band.id)) problem(`${path}.id`, `bands require distinct ids (got "${band.id}" twice)`);
      bandIds.add(band.id);
      const bandMinimum = band.minimum;
      if (typeof bandMinimum !== 'number' || !Number.isFinite(bandMinimum) || bandMinimum >= previous) {
        problem(
          `${path}.minimum`,
          `bands require strictly decreasing minimums, high to low (got ${show(bandMinimum)} after ${previous})`,
        );
      } else if (Number.isFinite(minimum) && (bandMinimum < minimum || bandMinimum > maximum)) {
        problem(
          `${path}.minimum`,
          `band minimums require values in the scale ${minimum}-${maximum} (got ${bandMinimum})`,
        );
      }
      if (typeof bandMinimum === 'number') previous = bandMinimum;
    });
    const last = bands[bands.length - 1] as FidelityBand | undefined;
    if (Number.isFinite(minimum) && isObject(last) && last.minimum !== minimum) {
      problem(
        `bands[${bands.length - 1}].minimum`,
        `the lowest band requires the scale minimum ${minimum} as its minimum (got ${show(last.minimum)})`,
      );
    }
  }

  const threshold = definition.disagreementThreshold ?? 1;
  if (typeof threshold !== 'number' || !Number.isFinite(threshold) || threshold <= 0) {
    problem(
      'disagreementThreshold',
      `disagreementThreshold requires a number above 0 (got ${show(threshold)})`,
    );
  }
  if (problems.length > 0) throw new FidelityIndexError(problems);
  return {
    ...(definition as unknown as FidelityIndexDefinition),
    disagreementThreshold: threshold as number,
  };
}

/**
 * The band a score falls in: the first band (high to low) whose minimum the score reaches; undefined for a
 * missing (NaN) score. Bands must come from a validated definition.
 * @example fidelityBand(FIDELITY_INDEX_TEMPLATE, 3.5)?.id // 'moderate'
 */
export function fidelityBand(definition: FidelityIndexDefinition, score: number): FidelityBand | undefined {
  if (Number.isNaN(score)) return undefined;
  return (
    definition.bands.find((band) => score >= band.minimum) ?? definition.bands[definition.bands.length - 1]
  );
}
