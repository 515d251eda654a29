import { parseArgs } from 'node:util';
import { UsageError } from './errors.ts';

type OptionSpec = Record<string, { type: 'string' | 'boolean' }>;

/** Parsed command line of one command: its positional arguments and options. */
export interface ParsedArguments {
  positionals: string[];
  values: Record<string, string | boolean | undefined>;
}

/**
 * Parses `argv` strictly: an unknown option, a missing value or a stray argument is a UsageError that
 * names it and the command's usage line.
 */
export function parseCommandArguments(
  argv: readonly string[],
  options: OptionSpec,
  usage: string,
): ParsedArguments {
  try {
    const parsed = parseArgs({ args: [...argv], options, allowPositionals: true, strict: true });
    return { positionals: parsed.positionals, values: parsed.values as ParsedArguments['values'] };
  } catch (error) {
    throw new UsageError(`${(error as Error).message.split('\n')[0]}\nusage: ${usage}`);
  }
}

/** The single input file a command takes. */
export function requireFile(parsed: ParsedArguments, usage: string): string {
  const [file, ...extra] = parsed.positionals;
  if (file === undefined) throw new UsageError(`a CSV file is required\nusage: ${usage}`);
  if (extra.length > 0) throw new UsageError(`unexpected argument "${extra[0]}"\nusage: ${usage}`);
  return file;
}

/** A required string option. */
export function requireOption(parsed: ParsedArguments, name: string, usage: string): string {
  const value = parsed.values[name];
  if (typeof value !== 'string' || value.trim() === '') {
    throw new UsageError(`--${name} is required\nusage: ${usage}`);
  }
  return value;
}

/** An optional option restricted to `choices`. */
export function optionalChoice<T extends string>(
  parsed: ParsedArguments,
  name: string,
  choices: readonly T[],
  usage: string,
): T | undefined {
  const value = parsed.values[name];
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || !(choices as readonly string[]).includes(value)) {
    throw new UsageError(
      `--${name} requires one of ${choices.join(', ')} (got "${String(value)}")\nusage: ${usage}`,
    );
  }
  return value as T;
}

/** An optional whole number >= 1. */
export function optionalPositiveInteger(
  parsed: ParsedArguments,
  name: string,
  usage: string,
): number | undefined {
  const value = parsed.values[name];
  if (value === undefined) return undefined;
  const number = Number(value);
  if (typeof value !== 'string' || !/^\d+$/.test(value.trim()) || number < 1) {
    throw new UsageError(`--${name} requires a whole number >= 1 (got "${String(value)}")\nusage: ${usage}`);
  }
  return number;
}
