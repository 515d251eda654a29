export { AEQ_SURV_TOLERANCE, aeqSurv } from './aeq-surv.ts';
export {
  type CoxCoefficient,
  type CoxInput,
  type CoxResult,
  type CoxTest,
  type CoxTies,
  fitCox,
} from './cox.ts';
export {
  type KaplanMeierInput,
  type KaplanMeierResult,
  type KaplanMeierRow,
  type KaplanMeierStratum,
  kaplanMeier,
} from './kaplan-meier.ts';
export { type LogrankGroup, type LogrankInput, type LogrankResult, logrankTest } from './logrank.ts';
export {
  type CoxFormulaResult,
  coxFromFormula,
  kaplanMeierFromFormula,
  logrankFromFormula,
  survivalGroups,
} from './survival-formula.ts';
export { survivalQuantile } from './survival-quantile.ts';
export type { SurvivalGroups } from './types.ts';
