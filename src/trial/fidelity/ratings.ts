import type { Table } from '../../table/index.ts';
import type { DataProblem } from '../errors.ts';
import { FidelityRatingsError } from './errors.ts';
import {
  EMPLOYER_TYPES,
  type EmployerType,
  FIDELITY_INFORMANTS,
  type FidelityIndexDefinition,
  type FidelityInformant,
  type FidelityRating,
  type FidelityRatings,
} from './types.ts';

/** The columns of a ratings file, in the documented order; `consensus` may be absent (no consensus rows). */
export const FIDELITY_RATINGS_COLUMNS = [
  'interview_id',
  'site',
  'employer_type',
  'timepoint',
  'informant',
  'rater',
  'item',
  'score',
  'consensus',
] as const;

type ColumnReader = (row: number) => string | undefined;

function columnReader(table: Table, name: string): ColumnReader | undefined {
  const column = table.findColumn(name);
  if (column === undefined) return undefined;
  if (column.kind === 'numeric') {
    return (row) => {
      const value = column.values[row] as number;
      return Number.isNaN(value) ? undefined : String(value);
    };
  }
  return (row) => {
    const code = column.codes[row] as number;
    return code < 0 ? undefined : column.levels[code];
  };
}

/**
 * Reads and checks a fidelity ratings file (one row per rater × interview × item; docs/reference/fidelity-index.md)
 * against its index definition. Every problem is collected: missing columns; a missing cell; an employer type
 * other than `nhs`/`voluntary`; a timepoint other than 1, 2, 3; an unknown informant; an unknown item, or one
 * its definition does not ask of the interview's informant; a score that is not a whole number on the scale;
 * a consensus flag other than 0/1; an interview whose rows disagree on site, timepoint, informant or employer
 * type; a site with two employer types; more than two independent ratings of an interview's item, the same
 * rater twice, or more than one consensus score. O(rows).
 * @throws FidelityRatingsError (code `fidelity_ratings_invalid`) listing every problem with its line.
 * @example readFidelityRatings(parseCsv(bytes, 'ratings.csv'), FIDELITY_INDEX_TEMPLATE).ratings.length
 */
export function readFidelityRatings(table: Table, definition: FidelityIndexDefinition): FidelityRatings {
  const problems: DataProblem[] = [];
  const problem = (path: string, message: string) =>
    problems.push({ path: `${table.source}: ${path}`, code: 'fidelity_ratings_invalid', message });
  const readers = new Map<string, ColumnReader>();
  for (const name of FIDELITY_RATINGS_COLUMNS) {
    const reader = columnReader(table, name);
    if (reader !== undefined) readers.set(name, reader);
    else if (name !== 'consensus') {
      problem(
        `column ${name}`,
        `a ratings file requires a column "${name}" (got columns ${table.columnNames.join(', ')})`,
      );
    }
  }
  if (problems.length > 0) throw new FidelityRatingsError(problems);
  const read = (name: string, row: number) => (readers.get(name) as ColumnReader)(row);
  const items = new Map(definition.items.map((item) => [item.id, item]));
  const { minimum, maximum } = definition.scale;

  const ratings: FidelityRating[] = [];
  const interviews = new Map<string, { line: number; key: string }>();
  const siteEmployers = new Map<string, { line: number; employer: string }>();
  const cells = new Map<string, { raters: Set<string>; independent: number; consensus: number }>();
  for (let row = 0; row < table.rowCount; row++) {
    const line = row + 2;
    const at = (column: string) => `line ${line}, column ${column}`;
    const values: Record<string, string | undefined> = {};
    let complete = true;
    for (const name of FIDELITY_RATINGS_COLUMNS) {
      if (name === 'consensus' && !readers.has(name)) continue;
      values[name] = read(name, row)?.trim();
      if (values[name] === undefined || values[name] === '') {
        problem(at(name), `a rating requires a value for ${name} (got a missing cell)`);
        complete = false;
      }
    }
    if (!complete) continue;
    const employerType = values.employer_type as string;
    const timepoint = Number(values.timepoint);
    const informant = values.informant as string;
    const itemId = values.item as string;
    const score = Number(values.score);
    const consensusText = values.consensus ?? '0';
    let valid = true;
    if (!(EMPLOYER_TYPES as readonly string[]).includes(employerType)) {
      problem(at('employer_type'), `employer_type requires nhs or voluntary (got "${employerType}")`);
      valid = false;
    }
    if (![1, 2, 3].includes(timepoint)) {
      problem(at('timepoint'), `timepoint requires 1, 2 or 3 (got "${values.timepoint}")`);
      valid = false;
    }
    if (!(FIDELITY_INFORMANTS as readonly string[]).includes(informant)) {
      problem(
        at('informant'),
        `informant requires one of ${FIDELITY_INFORMANTS.join(', ')} (got "${informant}")`,
      );
      valid = false;
    }
    const item = items.get(itemId);
    if (item === undefined) {
      problem(at('item'), `item requires an item of index "${definition.id}" (got "${itemId}")`);
      valid = false;
    } else if (valid && !item.informants.includes(informant as FidelityInformant)) {
      problem(
        at('item'),
        `item "${itemId}" requires an interview with ${item.informants.join(' or ')} (got ${informant})`,
      );
      valid = false;
    }
    if (!Number.isInteger(score) || score < minimum || score > maximum) {
      problem(
        at('score'),
        `score requires a whole number from ${minimum} to ${maximum} (got "${values.score}")`,
      );
      valid = false;
    }
    if (consensusText !== '0' && consensusText !== '1') {
      problem(at('consensus'), `consensus requires 0 or 1 (TRUE or FALSE) (got "${consensusText}")`);
      valid = false;
    }
    const interviewId = values.interview_id as string;
    const site = values.site as string;
    const interviewKey = JSON.stringify([site, timepoint, informant, employerType]);
    const seen = interviews.get(interviewId);
    if (seen === undefined) interviews.set(interviewId, { line, key: interviewKey });
    else if (seen.key !== interviewKey) {
      problem(
        at('interview_id'),
        `interview "${interviewId}" requires the same site, employer_type, timepoint and informant on every row (got ${site}, ${employerType}, ${values.timepoint}, ${informant}; line ${seen.line} differs)`,
      );
      valid = false;
    }
    const employer = siteEmployers.get(site);
    if (employer === undefined) siteEmployers.set(site, { line, employer: employerType });
    else if (employer.employer !== employerType) {
      problem(
        at('employer_type'),
        `site "${site}" requires one employer_type (got ${employerType}; line ${employer.line} has ${employer.employer})`,
      );
      valid = false;
    }
    const consensus = consensusText === '1';
    const rater = values.rater as string;
    const cellKey = JSON.stringify([interviewId, itemId]);
    const cell = cells.get(cellKey) ?? { raters: new Set<string>(), independent: 0, consensus: 0 };
    cells.set(cellKey, cell);
    if (consensus) {
      cell.consensus++;
      if (cell.consensus > 1) {
        problem(
          at('consensus'),
          `interview "${interviewId}" item "${itemId}" requires at most one consensus score (got a second)`,
        );
        valid = false;
      }
    } else {
      cell.independent++;
      if (cell.raters.has(rater)) {
        problem(
          at('rater'),
          `interview "${interviewId}" item "${itemId}" requires distinct raters (got "${rater}" twice)`,
        );
        valid = false;
      } else if (cell.independent > 2) {
        problem(
          at('rater'),
          `interview "${interviewId}" item "${itemId}" requires at most two independent ratings (got a third)`,
        );
        valid = false;
      }
      cell.raters.add(rater);
    }
    if (!valid) continue;
    ratings.push({
      line,
      interviewId,
      site,
      employerType: employerType as EmployerType,
      timepoint: timepoint as 1 | 2 | 3,
      informant: informant as FidelityInformant,
      rater,
      item: itemId,
      score,
      consensus,
    });
  }
  if (table.rowCount === 0) problem('rows', 'a ratings file requires at least one rating (got none)');
  if (problems.length > 0) throw new FidelityRatingsError(problems);
  return { source: table.source, ratings };
}
