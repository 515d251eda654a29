import type { CommandIo } from './io.ts';

/** One `enrich` subcommand: how it is called, a one-line summary for --help, and what it does. */
export interface CliCommand {
  readonly name: string;
  readonly usage: string;
  readonly summary: string;
  /** Runs the command with the arguments after its name; returns the exit code. May be async. */
  run(argv: readonly string[], io: CommandIo): number | Promise<number>;
}
