export {
  CEAC_WTP,
  DEFAULT_WTP,
  type EconomicsInputs,
  economicEvaluation,
  qalyByAreaUnderCurve,
  ZERO_COST_SHIFT,
} from './economic-evaluation.ts';
export type * from './economics-types.ts';
export { EconomicsInputError } from './errors.ts';
export { RESOURCES, type ResourceDefinition, readUnitCosts, UNIT_COST_COLUMNS } from './unit-costs.ts';
export { EQ5D_STATE_COLUMNS, readValueSet, utilitiesFromStates } from './value-set.ts';
