import { ENRICH_TEMPLATE, type TrialTemplate } from './enrich.ts';

export * from './enrich.ts';

/** Every trial template shipped with enrich, by name. */
export const TRIAL_TEMPLATES: readonly TrialTemplate[] = [ENRICH_TEMPLATE];

/**
 * The template called `name`, or undefined.
 *
 * @example
 * findTrialTemplate('enrich')?.arms.length; // 2
 */
export function findTrialTemplate(name: string): TrialTemplate | undefined {
  return TRIAL_TEMPLATES.find((template) => template.name === name);
}
