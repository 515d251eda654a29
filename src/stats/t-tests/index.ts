export { oneSampleTTest, pairedTTest, type TTestOptions, type TTestResult, welchTTest } from './t-test.ts';
