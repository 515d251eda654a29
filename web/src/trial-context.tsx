import { createContext, type ReactNode, useContext } from 'react';
import { ErrorNotice, Loading } from './components/notice.tsx';
import { useApi } from './components/use-api.ts';

/** A trial as the API shows it. */
export interface TrialSummary {
  readonly id: string;
  readonly name: string;
  readonly title: string;
  readonly created_at: string;
  readonly locked_at: string | null;
}

/** A recruiting site; `employer_type` (who employs its peer workers) is null until set. */
export interface Site {
  readonly id: string;
  readonly code: string;
  readonly name: string;
  readonly employer_type: 'nhs' | 'voluntary' | null;
}

interface TrialState {
  readonly trial: TrialSummary;
  readonly trials: readonly TrialSummary[];
  readonly sites: readonly Site[];
  readonly reloadTrial: () => void;
  readonly reloadSites: () => void;
  readonly siteName: (id: string) => string;
}

const TrialContext = createContext<TrialState | null>(null);

/** The trial the screens work on (the chosen one, else the first) and its sites. */
export function TrialProvider(props: { trialId: string | null; children: ReactNode }) {
  const trials = useApi<{ trials: TrialSummary[] }>('/api/trials');
  const list = trials.data?.trials ?? [];
  const trial = list.find((item) => item.id === props.trialId) ?? list[0];
  const sites = useApi<{ sites: Site[] }>(trial === undefined ? null : `/api/trials/${trial.id}/sites`);
  if (trials.error !== undefined)
    return <ErrorNotice error={trials.error} title="The trials could not be loaded" />;
  if (trials.data === undefined) return <Loading what="the trial" />;
  if (trial === undefined) {
    return (
      <div className="page">
        <h1>No trial yet</h1>
        <p>
          An administrator creates the trial first (POST /api/trials, or `enrich init --template enrich`).
        </p>
        {props.children}
      </div>
    );
  }
  const siteList = sites.data?.sites ?? [];
  const state: TrialState = {
    trial,
    trials: list,
    sites: siteList,
    reloadTrial: trials.reload,
    reloadSites: sites.reload,
    siteName: (id) => siteList.find((site) => site.id === id)?.name ?? id,
  };
  return <TrialContext.Provider value={state}>{props.children}</TrialContext.Provider>;
}

/** The trial of the screen (inside {@link TrialProvider}). */
export function useTrial(): TrialState {
  const state = useContext(TrialContext);
  if (state === null) throw new Error('useTrial requires a TrialProvider above it (got none)');
  return state;
}

/** Whether a trial context exists (the "no trial yet" page has none). */
export function useOptionalTrial(): TrialState | null {
  return useContext(TrialContext);
}
