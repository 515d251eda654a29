import type { CliCommand } from '../command.ts';
import { analyseCommand } from './analyse.ts';
import { auditCommand } from './audit.ts';
import { bootCommand } from './boot.ts';
import { cohortCommand } from './cohort.ts';
import { economicsCommand } from './economics.ts';
import { exportCommand } from './export.ts';
import { fidelityCommand } from './fidelity.ts';
import { glmCommand } from './glm.ts';
import { initCommand } from './init.ts';
import { metaCommand } from './meta.ts';
import { powerCommand } from './power.ts';
import { randomisationCommand } from './randomisation.ts';
import { alphaCommand, iccCommand, kappaCommand } from './reliability.ts';
import { serveCommand } from './serve.ts';
import { simulateCommand } from './simulate.ts';
import { coxCommand, kaplanMeierCommand, logrankCommand } from './survival.ts';

/** Every `enrich` subcommand, in the order --help lists them. Add a new command with one line here. */
export const COMMANDS: readonly CliCommand[] = [
  glmCommand,
  coxCommand,
  kaplanMeierCommand,
  logrankCommand,
  alphaCommand,
  iccCommand,
  kappaCommand,
  metaCommand,
  randomisationCommand,
  bootCommand,
  simulateCommand,
  powerCommand,
  analyseCommand,
  economicsCommand,
  initCommand,
  auditCommand,
  exportCommand,
  fidelityCommand,
  cohortCommand,
  serveCommand,
];
