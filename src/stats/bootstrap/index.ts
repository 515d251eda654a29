export { type BootCiOptions, type BootCiResult, type BootCiType, bootCi } from './boot-ci.ts';
export {
  type BootstrapOptions,
  type BootstrapResult,
  type BootstrapStatistic,
  bootstrap,
  bootstrapIndices,
} from './bootstrap.ts';
export {
  differenceInMeansStatistic,
  meanStatistic,
  medianStatistic,
  ratioOfMeansStatistic,
  sdStatistic,
} from './indexed-statistics.ts';
export { type JackknifeOptions, type JackknifeResult, jackknife } from './jackknife.ts';
