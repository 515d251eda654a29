import type { SessionUser } from '../api.ts';
import { Notice } from '../components/notice.tsx';
import { formatDate } from '../labels.ts';
import { useTrial } from '../trial-context.tsx';
import { Page, Panel } from './page.tsx';

/** The statistician's page: after the lock, the unblinded analysis dataset; before it, the blinded one. */
export function AnalysisScreen(_props: { user: SessionUser }) {
  const { trial } = useTrial();
  const locked = trial.locked_at !== null;
  const trialBase = `/api/trials/${encodeURIComponent(trial.id)}`;
  const base = `${trialBase}/analysis-dataset.csv`;
  return (
    <Page title="Analysis" lead="The analysis dataset (one row per participant, as in the data dictionary).">
      {locked ? (
        <Notice kind="success" title="Database locked">
          <p>The database was locked on {formatDate(trial.locked_at)}: the unblinded dataset is available.</p>
        </Notice>
      ) : (
        <Notice kind="info" title="Not locked yet">
          <p>
            Until the trial manager locks the database you can download the blinded dataset only (no arm
            columns).
          </p>
        </Notice>
      )}
      <div className="grid-2">
        <Panel title="Analysis dataset">
          {locked ? (
            <p>
              <a className="button primary" href={base} download>
                Download the analysis dataset (CSV)
              </a>
            </p>
          ) : null}
          <p>
            <a className={locked ? 'button subtle' : 'button primary'} href={`${base}?blinded=true`} download>
              Download the blinded dataset (CSV)
            </a>
          </p>
          <p className="muted small">Every download is recorded in the audit trail.</p>
        </Panel>
        <Panel title="Analysis report">
          {locked ? (
            <p>
              <a
                className="button primary"
                href={`/api/trials/${encodeURIComponent(trial.id)}/analysis-report.html`}
                target="_blank"
                rel="noopener"
              >
                Open the analysis report<span className="visually-hidden"> (opens in a new tab)</span>
              </a>
            </p>
          ) : null}
          {locked ? (
            <p className="muted small">
              The pre-specified analyses with the default plan (1000 bootstrap resamples, seed 1); it takes a
              few seconds.
            </p>
          ) : null}
          <p>
            {locked ? 'Or run' : 'After the lock, open the report here or run'} the analyses yourself on the
            downloaded dataset:
          </p>
          <pre className="code">
            <code>{`enrich analyse ${trial.id}-analysis-dataset.csv --html report.html`}</code>
          </pre>
        </Panel>
        <Panel title="Fidelity index">
          <p>
            The fidelity ratings entered in the app (both raters and the consensus), scored against the
            trial's index: scores per site and timepoint, set-up vs delivery, NHS vs voluntary-sector
            employers, inter-rater reliability and internal consistency.
          </p>
          <p>
            <a
              className="button primary"
              href={`${trialBase}/fidelity/report.html`}
              target="_blank"
              rel="noopener"
            >
              Open the fidelity report<span className="visually-hidden"> (opens in a new tab)</span>
            </a>
          </p>
          <p>
            <a className="button subtle" href={`${trialBase}/fidelity/ratings.csv`} download>
              Download the fidelity ratings (CSV)
            </a>{' '}
            <a className="button subtle" href={`${trialBase}/fidelity/index.json`} download>
              Download the trial's index (JSON)
            </a>
          </p>
          <pre className="code">
            <code>{`enrich fidelity ${trial.id}-fidelity-ratings.csv --index ${trial.id}-fidelity-index.json --html fidelity.html`}</code>
          </pre>
        </Panel>
        <Panel title="Peer worker wellbeing cohort">
          <p>
            The questionnaires peer workers completed in the app, each worker's id replaced by a pseudonym
            that cannot be traced back without the server's key.
          </p>
          <p>
            <a className="button primary" href={`${trialBase}/exports/wellbeing.csv`} download>
              Download the pseudonymised wellbeing questionnaires (CSV)
            </a>
          </p>
          <p>
            <a className="button subtle" href={`${trialBase}/wellbeing/norms.csv`} download>
              Download the trial's norms (CSV)
            </a>
          </p>
          <p className="muted small">Every download is recorded in the audit trail. Analyse them with:</p>
          <pre className="code">
            <code>{`enrich cohort ${trial.id}-wellbeing.csv --norms ${trial.id}-wellbeing-norms.csv --html cohort.html`}</code>
          </pre>
        </Panel>
      </div>
    </Page>
  );
}
