import type { FidelityIndexDefinition, FidelityItem, FidelityPart } from './types.ts';

const DOMAINS = [
  {
    id: 'trusting_relationships',
    label: 'Building trusting relationships based on shared lived experience',
    short: 'trusting relationships',
  },
  { id: 'reciprocity', label: 'Reciprocity and mutuality', short: 'reciprocity and mutuality' },
  {
    id: 'leadership_choice_control',
    label: 'Leadership, choice and control',
    short: 'leadership, choice and control',
  },
  {
    id: 'strengths_community',
    label: 'Building strengths and making connections to community',
    short: 'strengths and community connections',
  },
] as const;

function templateItems(): FidelityItem[] {
  const items: FidelityItem[] = [];
  const parts: readonly FidelityPart[] = ['setup', 'delivery'];
  for (const part of parts) {
    for (const domain of DOMAINS) {
      for (const number of [1, 2]) {
        items.push({
          id: `${part === 'setup' ? 's' : 'd'}_${domain.id}_${number}`,
          domain: domain.id,
          part,
          informants: part === 'setup' ? ['supervisor', 'peer_worker'] : ['peer_worker', 'person_supported'],
          text: `PLACEHOLDER ${part === 'setup' ? 'set-up' : 'delivery'} item ${number} on ${domain.short}: replace with the published index's item`,
          placeholder: true,
        });
      }
    }
  }
  return items;
}

/**
 * A starting point for the ENRICH principle-based fidelity index: the four principles as domains, each rated
 * separately for how the service is set up (from supervisor and peer worker interviews) and how support is
 * delivered (from peer worker and person-supported interviews). Its 16 items are PLACEHOLDERS (two per
 * domain and part, marked `placeholder: true`), to be replaced by the published index's items; the scale
 * (1-5 with anchors) and the band cut-offs (high >= 4, moderate >= 3, low below) are editable defaults, not
 * published thresholds. Write it out with `enrich fidelity --template` and edit it.
 */
export const FIDELITY_INDEX_TEMPLATE: FidelityIndexDefinition = {
  id: 'enrich_fidelity_template',
  name: 'ENRICH principle-based fidelity index (template)',
  version: '0.1-template',
  note: 'Template: the domains and parts are the index structure; every item is a placeholder to be replaced by the published index items, and the band cut-offs are defaults to be confirmed by the team.',
  scale: {
    minimum: 1,
    maximum: 5,
    anchors: [
      { value: 1, label: 'Not at all evident' },
      { value: 2, label: 'A little evident' },
      { value: 3, label: 'Partly evident' },
      { value: 4, label: 'Mostly evident' },
      { value: 5, label: 'Fully evident' },
    ],
  },
  domains: DOMAINS.map(({ id, label }) => ({ id, label })),
  items: templateItems(),
  scoring: { part: 'mean_of_items', overall: 'mean_of_items' },
  bands: [
    { id: 'high', label: 'High fidelity', minimum: 4 },
    { id: 'moderate', label: 'Moderate fidelity', minimum: 3 },
    { id: 'low', label: 'Low fidelity', minimum: 1 },
  ],
  disagreementThreshold: 1,
};
