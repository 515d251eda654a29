export {
  type CohenKappaOptions,
  type CohenKappaResult,
  cohenKappa,
  type KappaEstimate,
  type KappaWeights,
  type Rating,
} from './cohen-kappa.ts';
export {
  type AlphaItemStatistics,
  type CronbachAlphaResult,
  cronbachAlpha,
  type ReliabilityItem,
} from './cronbach-alpha.ts';
export { ReliabilityDataError } from './errors.ts';
export {
  type IccRow,
  type IccType,
  type IntraclassCorrelationOptions,
  type IntraclassCorrelationResult,
  intraclassCorrelation,
} from './intraclass-correlation.ts';
