/**
 * Field checks shared by the record and configuration validators: each check reads one field of an object
 * read from JSON (or a database), pushes a problem when it is missing or malformed, and never throws, so a
 * validator reports every problem at once.
 */

import type { DataProblem } from '../errors.ts';
import { parseIsoDate } from '../typed-columns.ts';

/** The checks on one record. `path` prefixes each problem's path (`contact` -> `contact.minutes`). */
export interface FieldChecker {
  readonly problems: DataProblem[];
  readonly record: Readonly<Record<string, unknown>>;
  /** A non-empty string. */
  text(field: string, options?: { optional?: boolean }): string | undefined;
  /** An ISO `YYYY-MM-DD` calendar date; returns its day number (days since 1970-01-01). */
  date(field: string, options?: { optional?: boolean }): number | undefined;
  /** An ISO instant (`2024-03-01T10:15:00Z`, offsets allowed). */
  instant(field: string, options?: { optional?: boolean }): string | undefined;
  number(field: string, options?: NumberOptions): number | undefined;
  boolean(field: string, options?: { optional?: boolean }): boolean | undefined;
  oneOf<T extends string>(
    field: string,
    values: readonly T[],
    options?: { optional?: boolean },
  ): T | undefined;
  /** An array whose every element is one of `values` (duplicates rejected). */
  listOf<T extends string>(
    field: string,
    values: readonly T[],
    options?: { minimum?: number },
  ): T[] | undefined;
  /** A problem about the record as a whole or several fields (`record_inconsistent`). */
  inconsistent(field: string, message: string): void;
  invalid(field: string, message: string): void;
}

export interface NumberOptions {
  readonly optional?: boolean;
  readonly integer?: boolean;
  readonly minimum?: number;
  readonly exclusiveMinimum?: number;
  readonly maximum?: number;
}

const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;

/** Describes a value for a problem message without echoing long text. */
export function describeValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  const text = JSON.stringify(value);
  if (text === undefined) return typeof value;
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

/**
 * Starts checking `input` as a record called `kind`. When `input` is not a plain object, one problem is
 * recorded and every field check reports nothing further.
 */
export function checkRecord(kind: string, input: unknown, problems: DataProblem[] = []): FieldChecker {
  const isObject = input !== null && typeof input === 'object' && !Array.isArray(input);
  if (!isObject) {
    problems.push({
      path: kind,
      code: 'record_field_invalid',
      message: `${kind} requires an object (got ${describeValue(input)})`,
    });
  }
  const record = (isObject ? input : {}) as Readonly<Record<string, unknown>>;
  const path = (field: string) => `${kind}.${field}`;
  const missing = (field: string, expectation: string) => {
    if (!isObject) return;
    problems.push({
      path: path(field),
      code: 'record_field_missing',
      message: `${kind}.${field} requires ${expectation} (got nothing)`,
    });
  };
  const invalid = (field: string, expectation: string, value: unknown) => {
    problems.push({
      path: path(field),
      code: 'record_field_invalid',
      message: `${kind}.${field} requires ${expectation} (got ${describeValue(value)})`,
    });
  };
  /** The field's value, or undefined after reporting a missing required field. */
  const read = (field: string, optional: boolean | undefined, expectation: string): unknown => {
    const value = record[field];
    if (value === undefined || value === null) {
      if (!optional) missing(field, expectation);
      return undefined;
    }
    return value;
  };

  return {
    problems,
    record,
    text(field, options) {
      const expectation = 'non-empty text';
      const value = read(field, options?.optional, expectation);
      if (value === undefined) return undefined;
      if (typeof value !== 'string' || value.trim() === '') {
        invalid(field, expectation, value);
        return undefined;
      }
      return value;
    },
    date(field, options) {
      const expectation = 'an ISO date YYYY-MM-DD';
      const value = read(field, options?.optional, expectation);
      if (value === undefined) return undefined;
      const day = typeof value === 'string' && value.length === 10 ? parseIsoDate(value) : undefined;
      if (day === undefined) invalid(field, expectation, value);
      return day;
    },
    instant(field, options) {
      const expectation = 'an ISO date-time with time zone';
      const value = read(field, options?.optional, expectation);
      if (value === undefined) return undefined;
      if (typeof value !== 'string' || !INSTANT.test(value) || Number.isNaN(Date.parse(value))) {
        invalid(field, expectation, value);
        return undefined;
      }
      return value;
    },
    number(field, options = {}) {
      const parts = [options.integer ? 'a whole number' : 'a finite number'];
      if (options.minimum !== undefined) parts.push(`>= ${options.minimum}`);
      if (options.exclusiveMinimum !== undefined) parts.push(`> ${options.exclusiveMinimum}`);
      if (options.maximum !== undefined) parts.push(`<= ${options.maximum}`);
      const expectation = parts.join(' ');
      const value = read(field, options.optional, expectation);
      if (value === undefined) return undefined;
      const ok =
        typeof value === 'number' &&
        Number.isFinite(value) &&
        (!options.integer || Number.isInteger(value)) &&
        (options.minimum === undefined || value >= options.minimum) &&
        (options.exclusiveMinimum === undefined || value > options.exclusiveMinimum) &&
        (options.maximum === undefined || value <= options.maximum);
      if (!ok) {
        invalid(field, expectation, value);
        return undefined;
      }
      return value as number;
    },
    boolean(field, options) {
      const expectation = 'true or false';
      const value = read(field, options?.optional, expectation);
      if (value === undefined) return undefined;
      if (typeof value !== 'boolean') {
        invalid(field, expectation, value);
        return undefined;
      }
      return value;
    },
    oneOf(field, values, options) {
      const expectation = `one of ${values.join(', ')}`;
      const value = read(field, options?.optional, expectation);
      if (value === undefined) return undefined;
      if (typeof value !== 'string' || !(values as readonly string[]).includes(value)) {
        invalid(field, expectation, value);
        return undefined;
      }
      return value as (typeof values)[number];
    },
    listOf(field, values, options) {
      const minimum = options?.minimum ?? 0;
      const expectation = `a list of distinct values from ${values.join(', ')}${minimum > 0 ? ` with at least ${minimum}` : ''}`;
      const value = read(field, false, expectation);
      if (value === undefined) return undefined;
      if (!Array.isArray(value) || value.length < minimum) {
        invalid(field, expectation, value);
        return undefined;
      }
      const seen = new Set<string>();
      for (const element of value) {
        if (
          typeof element !== 'string' ||
          !(values as readonly string[]).includes(element) ||
          seen.has(element)
        ) {
          invalid(field, expectation, element);
          return undefined;
        }
        seen.add(element);
      }
      return value as (typeof values)[number][];
    },
    inconsistent(field, message) {
      problems.push({ path: path(field), code: 'record_inconsistent', message });
    },
    invalid(field, message) {
      problems.push({ path: path(field), code: 'record_field_invalid', message });
    },
  };
}
