import { StatsError } from '../stats/index.ts';
import { StorageError } from '../storage/index.ts';
import { TableError } from '../table/index.ts';
import {
  DatasetError,
  RandomisationError,
  RecordValidationError,
  SimulationOptionsError,
  TrialConfigError,
} from '../trial/index.ts';
import { COMMANDS } from './commands/index.ts';
import { InputFileError, UsageError } from './errors.ts';
import type { CommandIo } from './io.ts';

const VERSION = '0.1.0';
const NAME_WIDTH = Math.max(...COMMANDS.map((command) => command.name.length));

function helpText(): string {
  const lines = [
    `enrich ${VERSION}: trials and evidence synthesis of peer support, with numbers that agree with R.`,
    '',
    'Commands:',
    ...COMMANDS.map((command) => `  ${command.name.padEnd(NAME_WIDTH)}  ${command.summary}`),
    '',
    'Usage:',
    ...COMMANDS.map((command) => `  ${command.usage}`),
    '',
    'Without --json each command prints a readable table; with --json, one JSON document.',
    'Exit codes: 0 success, 2 bad input or usage, 1 internal error. Docs: docs/reference/cli.md',
  ];
  return `${lines.join('\n')}\n`;
}

/**
 * Runs the `enrich` command line. Returns the exit code: 0 on success, 2 for bad input (usage, file,
 * CSV, formula or data errors, all printed to stderr), 1 for an internal fault. Never writes to stdout on
 * failure.
 */
export async function main(argv: readonly string[], io: CommandIo): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === 'help' || name === '--help' || name === '-h') {
    io.stdout.write(helpText());
    return name === undefined ? 2 : 0;
  }
  if (name === '--version' || name === '-v') {
    io.stdout.write(`${VERSION}\n`);
    return 0;
  }
  const command = COMMANDS.find((candidate) => candidate.name === name);
  try {
    if (command === undefined) {
      throw new UsageError(
        `unknown command "${name}" (commands: ${COMMANDS.map((candidate) => candidate.name).join(', ')}; see enrich --help)`,
      );
    }
    if (rest.includes('--help') || rest.includes('-h')) {
      io.stdout.write(`usage: ${command.usage}\n`);
      return 0;
    }
    return await command.run(rest, io);
  } catch (error) {
    return reportError(error, io);
  }
}

function reportError(error: unknown, io: CommandIo): number {
  if (
    error instanceof UsageError ||
    error instanceof InputFileError ||
    error instanceof TableError ||
    error instanceof DatasetError ||
    error instanceof RandomisationError ||
    error instanceof SimulationOptionsError ||
    error instanceof StatsError ||
    error instanceof StorageError ||
    error instanceof RecordValidationError ||
    error instanceof TrialConfigError
  ) {
    io.stderr.write(`enrich: error [${error.code}]: ${error.message}\n`);
    return 2;
  }
  io.stderr.write(
    `enrich: internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  return 1;
}
