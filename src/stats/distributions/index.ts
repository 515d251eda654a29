export { pbeta, qbeta } from './beta.ts';
export { pchisq, qchisq } from './chi-square.ts';
export { pf, qf } from './f.ts';
export { pgamma, qgamma } from './gamma.ts';
export { pnorm, qnorm } from './normal.ts';
export { pt, qt } from './student-t.ts';
