import type { GlmFamilyName, GlmFormulaResult, LinkName, RobustType } from '../../stats/index.ts';
import { glmFromFormula } from '../../stats/index.ts';
import { optionalChoice, parseCommandArguments, requireFile, requireOption } from '../arguments.ts';
import type { CliCommand } from '../command.ts';
import type { CommandIo } from '../io.ts';
import { readTableFile } from '../io.ts';
import { formatJson } from '../json-output.ts';
import { alignTable, formatNumber, formatPValue } from '../text-table.ts';

export const GLM_USAGE =
  'enrich glm FILE.csv --formula "F" --family gaussian|binomial|poisson|Gamma|negbin [--link L] [--robust HC0|HC1|HC3] [--json]';

const FAMILIES: readonly GlmFamilyName[] = ['gaussian', 'binomial', 'poisson', 'Gamma', 'negbin'];
const LINKS: readonly LinkName[] = ['identity', 'logit', 'probit', 'cloglog', 'log', 'inverse', 'sqrt'];
const ROBUST_TYPES: readonly RobustType[] = ['HC0', 'HC1', 'HC3'];

/** `enrich glm`: fits a generalised linear model as R's glm / MASS::glm.nb and prints it. */
function runGlm(argv: readonly string[], io: CommandIo): number {
  const parsed = parseCommandArguments(
    argv,
    {
      formula: { type: 'string' },
      family: { type: 'string' },
      link: { type: 'string' },
      robust: { type: 'string' },
      json: { type: 'boolean' },
    },
    GLM_USAGE,
  );
  const file = requireFile(parsed, GLM_USAGE);
  const formula = requireOption(parsed, 'formula', GLM_USAGE);
  requireOption(parsed, 'family', GLM_USAGE);
  const family = optionalChoice(parsed, 'family', FAMILIES, GLM_USAGE) as GlmFamilyName;
  const link = optionalChoice(parsed, 'link', LINKS, GLM_USAGE);
  const robust = optionalChoice(parsed, 'robust', ROBUST_TYPES, GLM_USAGE);
  const table = readTableFile(file);
  const result = glmFromFormula(table, formula, {
    family,
    ...(link === undefined ? {} : { link }),
    ...(robust === undefined ? {} : { robust }),
  });
  io.stdout.write(parsed.values.json ? formatJson(glmJson(result)) : formatGlmText(result, formula));
  return 0;
}

/** The `--json` document, in the field order of the CLI contract. */
function glmJson(result: GlmFormulaResult): unknown {
  return {
    n: result.n,
    nDropped: result.nDropped,
    family: result.family,
    link: result.link,
    coefficients: result.coefficients,
    deviance: result.deviance,
    nullDeviance: result.nullDeviance,
    dfResidual: result.dfResidual,
    aic: result.aic,
    logLikelihood: result.logLikelihood,
    dispersion: result.dispersion,
    iterations: result.iterations,
    converged: result.converged,
    warnings: result.warnings,
    theta: result.theta,
    thetaSe: result.thetaSe,
    robust: result.robust,
  };
}

function formatGlmText(result: GlmFormulaResult, formula: string): string {
  const usesT = !result.robust && (result.family === 'gaussian' || result.family === 'Gamma');
  const statisticName = usesT ? 't value' : 'z value';
  const pName = usesT ? 'Pr(>|t|)' : 'Pr(>|z|)';
  const seName = result.robust ? `Robust SE (${result.robust})` : 'Std. Error';
  const rows = result.coefficients.map((coefficient) => [
    coefficient.term,
    formatNumber(coefficient.estimate),
    formatNumber(coefficient.se),
    formatNumber(coefficient.statistic, 4),
    formatPValue(coefficient.pValue),
    formatNumber(coefficient.ciLower),
    formatNumber(coefficient.ciUpper),
  ]);
  const familyLabel =
    result.family === 'negbin'
      ? `Negative Binomial(${formatNumber(result.theta ?? null, 4)})`
      : result.family;
  const lines = [
    `Model: glm(${formula}, family = ${result.family}(link = "${result.link}"))`,
    `Observations: ${result.n}${result.nDropped > 0 ? ` (${result.nDropped} deleted due to missingness)` : ''}`,
    '',
    'Coefficients:',
    alignTable(['', 'Estimate', seName, statisticName, pName, '2.5 %', '97.5 %'], rows),
    '',
    `(Dispersion parameter for ${familyLabel} family taken to be ${formatNumber(result.dispersion, 7)})`,
    '',
    `    Null deviance: ${formatNumber(result.nullDeviance, 7)}  on ${result.dfNull} degrees of freedom`,
    `Residual deviance: ${formatNumber(result.deviance, 7)}  on ${result.dfResidual} degrees of freedom`,
    `AIC: ${formatNumber(result.aic, 7)}    Log-likelihood: ${formatNumber(result.logLikelihood, 7)}`,
  ];
  if (result.theta !== undefined) {
    lines.push(
      `Theta: ${formatNumber(result.theta, 7)}  Std. Err.: ${formatNumber(result.thetaSe ?? null, 7)}`,
    );
  }
  lines.push(
    '',
    `Number of Fisher Scoring iterations: ${result.iterations}${result.converged ? '' : ' (did not converge)'}`,
  );
  for (const warning of result.warnings) lines.push(`Warning: ${warning}`);
  return `${lines.join('\n')}\n`;
}

export const glmCommand: CliCommand = {
  name: 'glm',
  usage: GLM_USAGE,
  summary: 'generalised linear model (R: glm, MASS::glm.nb, sandwich::vcovHC)',
  run: runGlm,
};
