import { type FormEvent, useMemo, useState } from 'react';
import { ApiError, api, type SessionUser } from '../api.ts';
import { ChoiceGroup, SelectField, TextField, visibleErrors } from '../components/fields.tsx';
import { ErrorNotice, Notice } from '../components/notice.tsx';
import { useDraft } from '../draft.ts';
import { today } from '../labels.ts';
import { Link } from '../router.tsx';
import { useTrial } from '../trial-context.tsx';
import { Page, Panel } from './page.tsx';

const EXCLUSIONS = [
  { value: 'organic_mental_disorder', label: 'Organic mental disorder' },
  { value: 'learning_disability', label: 'Primary diagnosis: learning disability' },
  { value: 'eating_disorder', label: 'Primary diagnosis: eating disorder' },
  { value: 'substance_dependency', label: 'Primary diagnosis: substance dependency' },
];
const GENDERS = ['female', 'male', 'other'];
const ETHNICITIES = ['Asian', 'Black', 'Mixed', 'White', 'Other'];
const LANGUAGES = ['English', 'Other'];
const DIAGNOSIS_GROUPS = [
  { value: 'psychosis', label: 'Psychosis' },
  { value: 'personality', label: 'Personality disorder' },
  { value: 'other', label: 'Other' },
];

interface ScreeningDraft {
  site_id: string;
  screened_date: string;
  age: string;
  admissions_prior_2y: string;
  exclusions: string[];
  diagnosis_group: string;
  gender: string;
  ethnicity: string;
  first_language: string;
  detained_at_index: string;
  consent_given: boolean;
  consent_form_version: string;
}

const EMPTY: ScreeningDraft = {
  site_id: '',
  screened_date: '',
  age: '',
  admissions_prior_2y: '',
  exclusions: [],
  diagnosis_group: '',
  gender: '',
  ethnicity: '',
  first_language: '',
  detained_at_index: '',
  consent_given: false,
  consent_form_version: '',
};

const WHOLE = /^\d+$/;

function validate(values: ScreeningDraft): Record<string, string> {
  const errors: Record<string, string> = {};
  if (values.site_id === '') errors.site_id = 'Choose the site';
  if (values.screened_date !== '' && values.screened_date > today())
    errors.screened_date = 'A screening date cannot be in the future';
  if (!WHOLE.test(values.age)) errors.age = 'Enter the age in whole years';
  else if (Number(values.age) > 120) errors.age = 'Enter an age of 120 or under';
  if (!WHOLE.test(values.admissions_prior_2y))
    errors.admissions_prior_2y = 'Enter a whole number (0 or more)';
  if (values.diagnosis_group === '') errors.diagnosis_group = 'Choose the diagnosis group';
  if (values.gender === '') errors.gender = 'Choose a gender';
  if (values.ethnicity === '') errors.ethnicity = 'Choose an ethnic group';
  if (values.first_language === '') errors.first_language = 'Choose the first language';
  if (values.detained_at_index === '') errors.detained_at_index = 'Answer yes or no';
  return errors;
}

type Check = { label: string; state: 'met' | 'not_met' | 'unknown' };

/** The trial's eligibility rules against what has been typed so far (the server checks again on save). */
function checklist(values: ScreeningDraft): Check[] {
  const age = WHOLE.test(values.age) ? Number(values.age) : undefined;
  const admissions = WHOLE.test(values.admissions_prior_2y) ? Number(values.admissions_prior_2y) : undefined;
  const state = (value: boolean | undefined): Check['state'] =>
    value === undefined ? 'unknown' : value ? 'met' : 'not_met';
  return [
    { label: 'Aged 18 or over', state: state(age === undefined ? undefined : age >= 18) },
    {
      label: 'At least one psychiatric admission in the previous 2 years',
      state: state(admissions === undefined ? undefined : admissions >= 1),
    },
    {
      label: 'No organic mental disorder',
      state: state(!values.exclusions.includes('organic_mental_disorder')),
    },
    {
      label: 'Primary diagnosis not excluded',
      state: state(!values.exclusions.some((code) => code !== 'organic_mental_disorder')),
    },
    { label: 'Written informed consent recorded', state: state(values.consent_given) },
  ];
}

/** Screen a person against the eligibility checklist, record consent, and register them. */
export function ScreenForm(_props: { user: SessionUser }) {
  const { trial, sites } = useTrial();
  const [values, update, clear] = useDraft<ScreeningDraft>(`screen.${trial.id}`, EMPTY);
  const [touched, setTouched] = useState<Set<string>>(new Set());
  const [submitted, setSubmitted] = useState(false);
  const [error, setError] = useState<unknown>(undefined);
  const [created, setCreated] = useState<{ id: string } | undefined>(undefined);
  const [busy, setBusy] = useState(false);
  const errors = useMemo(() => validate(values), [values]);
  const shown = visibleErrors(errors, touched, submitted);
  const serverIssues = error instanceof ApiError ? error.issues : [];
  const change = <K extends keyof ScreeningDraft>(key: K, value: ScreeningDraft[K]) => {
    setTouched((previous) => new Set(previous).add(key));
    update({ [key]: value } as Partial<ScreeningDraft>);
  };
  const checks = checklist(values);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setSubmitted(true);
    setCreated(undefined);
    if (Object.keys(errors).length > 0) {
      document.querySelector<HTMLElement>('[aria-invalid="true"], .field-invalid input')?.focus();
      return;
    }
    setBusy(true);
    try {
      const answer = await api<{ id: string }>('POST', `/api/trials/${trial.id}/participants`, {
        site_id: values.site_id,
        age: Number(values.age),
        gender: values.gender,
        ethnicity: values.ethnicity,
        first_language: values.first_language,
        diagnosis_group: values.diagnosis_group,
        admissions_prior_2y: Number(values.admissions_prior_2y),
        detained_at_index: values.detained_at_index === 'yes',
        consent_given: values.consent_given,
        exclusions: values.exclusions,
        ...(values.screened_date === '' ? {} : { screened_date: values.screened_date }),
        ...(values.consent_form_version.trim() === ''
          ? {}
          : { consent_form_version: values.consent_form_version.trim() }),
      });
      setError(undefined);
      setCreated(answer);
      setSubmitted(false);
      setTouched(new Set());
      clear();
    } catch (reason) {
      // Keep everything typed: the user corrects and sends again.
      setError(reason);
    } finally {
      setBusy(false);
    }
  };

  const serverError = (field: string) => serverIssues.find((issue) => issue.path === field)?.message;

  return (
    <Page
      title="Screen and consent"
      lead="Work through the eligibility checklist, record consent, and register the participant. Your answers are kept if you leave this page or your session ends."
    >
      {created === undefined ? null : (
        <Notice kind="success" title="Registered">
          <p>
            Screening id <strong>{created.id}</strong> is eligible and consented.{' '}
            <Link href={`/participants/${created.id}`}>
              Open the participant to enter the baseline and randomise
            </Link>
            .
          </p>
        </Notice>
      )}
      {error === undefined ? null : <ErrorNotice error={error} />}
      <form className="two-column" onSubmit={submit} noValidate aria-label="Screen and consent">
        <div className="form-column">
          <Panel title="Screening">
            <SelectField
              label="Site"
              value={values.site_id}
              onChange={(value) => change('site_id', value)}
              options={sites.map((site) => ({ value: site.id, label: `${site.name} (${site.code})` }))}
              error={shown.site_id ?? serverError('site_id')}
              required
            />
            <TextField
              label="Date screened"
              type="date"
              hint="Leave empty for today"
              value={values.screened_date}
              onChange={(value) => change('screened_date', value)}
              error={shown.screened_date}
            />
            <TextField
              label="Age (years)"
              inputMode="numeric"
              value={values.age}
              onChange={(value) => change('age', value)}
              error={shown.age ?? serverError('age')}
              required
            />
            <TextField
              label="Psychiatric admissions in the previous 2 years"
              inputMode="numeric"
              value={values.admissions_prior_2y}
              onChange={(value) => change('admissions_prior_2y', value)}
              error={shown.admissions_prior_2y ?? serverError('admissions_prior_2y')}
              required
            />
            <ChoiceGroup
              legend="Exclusions that apply"
              hint="Tick any that apply; leave all empty when none do."
              type="checkbox"
              options={EXCLUSIONS}
              selected={values.exclusions}
              onChange={(selected) => change('exclusions', selected)}
              error={serverError('exclusions')}
            />
            <ChoiceGroup
              legend="Diagnosis group (stratum)"
              type="radio"
              inline
              options={DIAGNOSIS_GROUPS}
              selected={values.diagnosis_group === '' ? [] : [values.diagnosis_group]}
              onChange={(selected) => change('diagnosis_group', selected[0] ?? '')}
              error={shown.diagnosis_group}
            />
          </Panel>
          <Panel title="About the person">
            <SelectField
              label="Gender"
              value={values.gender}
              onChange={(value) => change('gender', value)}
              options={GENDERS.map((value) => ({
                value,
                label: value.charAt(0).toUpperCase() + value.slice(1),
              }))}
              error={shown.gender}
            />
            <SelectField
              label="Ethnic group"
              value={values.ethnicity}
              onChange={(value) => change('ethnicity', value)}
              options={ETHNICITIES.map((value) => ({ value, label: value }))}
              error={shown.ethnicity}
            />
            <SelectField
              label="First language"
              value={values.first_language}
              onChange={(value) => change('first_language', value)}
              options={LANGUAGES.map((value) => ({ value, label: value }))}
              error={shown.first_language}
            />
            <ChoiceGroup
              legend="Detained under the Mental Health Act at this admission?"
              type="radio"
              inline
              options={[
                { value: 'yes', label: 'Yes' },
                { value: 'no', label: 'No' },
              ]}
              selected={values.detained_at_index === '' ? [] : [values.detained_at_index]}
              onChange={(selected) => change('detained_at_index', selected[0] ?? '')}
              error={shown.detained_at_index}
            />
          </Panel>
          <Panel title="Consent">
            <label className="choice single">
              <input
                type="checkbox"
                checked={values.consent_given}
                onChange={(event) => change('consent_given', event.target.checked)}
              />
              <span>Written informed consent given today</span>
            </label>
            <TextField
              label="Consent form version"
              hint="As printed on the form, e.g. 2.1"
              value={values.consent_form_version}
              onChange={(value) => change('consent_form_version', value)}
            />
          </Panel>
          <div className="form-actions">
            <button type="submit" className="button primary" disabled={busy}>
              {busy ? 'Registering…' : 'Register participant'}
            </button>
            <button
              type="button"
              className="button subtle"
              onClick={() => {
                clear();
                setTouched(new Set());
                setSubmitted(false);
                setError(undefined);
              }}
            >
              Clear the form
            </button>
          </div>
        </div>
        <aside className="form-aside" aria-labelledby="checklist-title">
          <div className="panel sticky">
            <h2 id="checklist-title">Eligibility checklist</h2>
            <ul className="checklist">
              {checks.map((check) => (
                <li key={check.label} className={`check-${check.state}`}>
                  <span className="check-mark" aria-hidden="true">
                    {check.state === 'met' ? '✓' : check.state === 'not_met' ? '✗' : '?'}
                  </span>
                  <span>
                    {check.label}
                    <span className="visually-hidden">
                      :{' '}
                      {check.state === 'met'
                        ? 'met'
                        : check.state === 'not_met'
                          ? 'not met'
                          : 'not answered yet'}
                    </span>
                  </span>
                </li>
              ))}
            </ul>
            <p className="muted small">
              {checks.every((check) => check.state === 'met')
                ? 'Eligible on these answers. The server checks the rules again when you register.'
                : checks.some((check) => check.state === 'not_met')
                  ? 'Not eligible on these answers.'
                  : 'Answer every question to see eligibility.'}
            </p>
          </div>
        </aside>
      </form>
    </Page>
  );
}
