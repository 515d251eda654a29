import type { ReactNode } from 'react';
import type { SessionUser } from '../api.ts';
import { type Column, DataTable } from '../components/data-table.tsx';
import { ErrorNotice, Loading, Notice } from '../components/notice.tsx';
import { useApi } from '../components/use-api.ts';
import { humanise } from '../labels.ts';
import { useTrial } from '../trial-context.tsx';
import { Facts, Page, Panel } from './page.tsx';

/** GET /api/trials/:trialId/randomisation-settings. */
interface RandomisationSettings {
  readonly trial_id: string;
  readonly method: 'permuted_blocks' | 'minimisation';
  readonly arms: readonly { name: string; ratio: number }[];
  readonly factors: readonly { name: string; levels: readonly string[]; weight?: number }[];
  readonly block_sizes?: readonly number[];
  readonly block_sizes_default?: boolean;
  readonly imbalance?: string;
  readonly preferred_arm_probability?: number;
  readonly locked: boolean;
  readonly database_locked: boolean;
}

type Factor = RandomisationSettings['factors'][number];

const METHOD_LABELS: Readonly<Record<RandomisationSettings['method'], string>> = {
  permuted_blocks: 'Stratified permuted blocks',
  minimisation: 'Minimisation (Pocock–Simon)',
};

/**
 * The randomisation settings, read only (trial manager, admin): method, arms and ratio, stratification
 * factors, block sizes, and whether they are locked (after the first allocation). Never the state.
 */
export function RandomisationSettingsScreen(_props: { user: SessionUser }) {
  const { trial, siteName } = useTrial();
  const { data, error } = useApi<RandomisationSettings>(`/api/trials/${trial.id}/randomisation-settings`);
  if (error !== undefined)
    return <ErrorNotice error={error} title="The randomisation settings could not be loaded" />;
  if (data === undefined) return <Loading what="the randomisation settings" />;
  const ratio = data.arms.map((arm) => arm.ratio).join(':');
  const facts: [string, ReactNode][] = [
    ['Method', METHOD_LABELS[data.method] ?? humanise(data.method)],
    ['Arms', data.arms.map((arm) => humanise(arm.name)).join(', ')],
    ['Allocation ratio', ratio],
  ];
  if (data.block_sizes !== undefined) {
    facts.push([
      'Block sizes',
      `${data.block_sizes.join(', ')}${data.block_sizes_default === true ? ' (default: 1, 2 and 3 times the ratio sum)' : ''}`,
    ]);
  }
  if (data.imbalance !== undefined) facts.push(['Imbalance measure', humanise(data.imbalance)]);
  if (data.preferred_arm_probability !== undefined) {
    facts.push(['Probability of the preferred arm', String(data.preferred_arm_probability)]);
  }
  const columns: Column<Factor>[] = [
    { key: 'name', label: 'Factor', value: (row) => humanise(row.name) },
    {
      key: 'levels',
      label: 'Levels',
      value: (row) =>
        row.levels.map((level) => (row.name === 'site' ? siteName(level) : humanise(level))).join(', '),
    },
    { key: 'count', label: 'Number of levels', value: (row) => row.levels.length, numeric: true },
  ];
  return (
    <Page
      title="Randomisation settings"
      lead="How participants are allocated. Read only: the settings are fixed in the trial configuration."
    >
      {data.locked ? (
        <Notice kind="info" title="Locked">
          <p>
            The settings are locked: participants have been randomised, so the method, arms, ratio and factors
            can no longer change.
          </p>
        </Notice>
      ) : (
        <Notice kind="warning" title="Not locked yet">
          <p>Nobody has been randomised yet: the settings lock at the first allocation.</p>
        </Notice>
      )}
      <Panel title="Method">
        <Facts items={facts} />
        <p className="muted small">
          The allocation sequence itself (the next allocations, the position in a block) is never shown: it
          would break allocation concealment.
        </p>
      </Panel>
      <DataTable
        caption="Stratification factors"
        columns={columns}
        rows={data.factors}
        rowKey={(row) => row.name}
      />
    </Page>
  );
}
