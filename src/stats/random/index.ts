export { createRRandom, type RRandom } from './r-random.ts';
