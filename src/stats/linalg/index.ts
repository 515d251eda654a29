export type { QrDecomposition, QrLeastSquares, QrWorkspace } from './householder-qr.ts';
export {
  createQrWorkspace,
  householderQr,
  householderQrInPlace,
  qrAliased,
  qrBackSolve,
  qrHatValues,
  qrLeastSquares,
  qrQty,
  qrQy,
  qrUnscaledCovariance,
} from './householder-qr.ts';
export type { NormalEquationsWorkspace } from './normal-equations.ts';
export {
  createNormalEquationsWorkspace,
  solveEquilibratedCholesky,
  weightedCrossProduct,
} from './normal-equations.ts';
