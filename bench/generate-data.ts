import { writeFileSync } from 'node:fs';

/** A small deterministic generator (xorshift128+), so every run benchmarks the same data. */
function createUniform(seed: number): () => number {
  let s0 = BigInt(seed) | 1n;
  let s1 = 0x9e3779b97f4a7c15n;
  const mask = (1n << 64n) - 1n;
  return () => {
    let x = s0;
    const y = s1;
    s0 = y;
    x ^= (x << 23n) & mask;
    s1 = x ^ y ^ (x >> 17n) ^ (y >> 26n);
    return Number(((s1 + y) & mask) >> 11n) / 2 ** 53;
  };
}

function createNormal(uniform: () => number): () => number {
  return () => Math.sqrt(-2 * Math.log(uniform() || 1e-300)) * Math.cos(2 * Math.PI * uniform());
}

/**
 * A logistic-regression dataset: 10 covariates (8 normal, 2 binary), outcome from a known model.
 * Columns y, x1..x10.
 */
export function writeLogisticData(path: string, rowCount: number, seed: number): void {
  const uniform = createUniform(seed);
  const normal = createNormal(uniform);
  const lines = ['y,x1,x2,x3,x4,x5,x6,x7,x8,x9,x10'];
  const beta = [-0.3, 0.4, -0.25, 0.15, 0.1, -0.05, 0.2, -0.3, 0.05, 0.5, -0.4];
  for (let row = 0; row < rowCount; row++) {
    const x: number[] = [];
    for (let j = 0; j < 8; j++) x.push(Number(normal().toFixed(6)));
    x.push(uniform() < 0.5 ? 1 : 0, uniform() < 0.3 ? 1 : 0);
    let eta = beta[0] as number;
    x.forEach((value, j) => {
      eta += (beta[j + 1] as number) * value;
    });
    const y = uniform() < 1 / (1 + Math.exp(-eta)) ? 1 : 0;
    lines.push([y, ...x].join(','));
  }
  writeFileSync(path, `${lines.join('\n')}\n`);
}

/**
 * A survival dataset with ties: integer days 1..365 (administratively censored at 365), 5 covariates.
 * Columns time, event, z1..z5.
 */
export function writeCoxData(path: string, rowCount: number, seed: number): void {
  const uniform = createUniform(seed);
  const normal = createNormal(uniform);
  const lines = ['time,event,z1,z2,z3,z4,z5'];
  const beta = [0.3, -0.2, 0.1, 0.4, -0.3];
  for (let row = 0; row < rowCount; row++) {
    const z = [
      Number(normal().toFixed(6)),
      Number(normal().toFixed(6)),
      Number(normal().toFixed(6)),
      uniform() < 0.5 ? 1 : 0,
      uniform() < 0.2 ? 1 : 0,
    ];
    const risk = Math.exp(z.reduce((sum, value, j) => sum + (beta[j] as number) * value, 0));
    const eventTime = -Math.log(uniform()) / (0.002 * risk);
    const censorTime = -Math.log(uniform()) / 0.001;
    const observed = Math.min(eventTime, censorTime, 365);
    const time = Math.max(1, Math.ceil(observed));
    const event = eventTime <= Math.min(censorTime, 365) ? 1 : 0;
    lines.push([time, event, ...z].join(','));
  }
  writeFileSync(path, `${lines.join('\n')}\n`);
}
