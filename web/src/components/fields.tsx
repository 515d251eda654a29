import { type ReactNode, useId } from 'react';

interface FieldProps {
  label: string;
  error?: string | undefined;
  hint?: string;
  children: (ids: { id: string; describedBy: string | undefined; invalid: boolean }) => ReactNode;
}

/** A labelled control with its hint and its error (linked by aria-describedby, announced when it appears). */
export function Field(props: FieldProps) {
  const id = useId();
  const hintId = `${id}-hint`;
  const errorId = `${id}-error`;
  const describedBy = [props.hint === undefined ? '' : hintId, props.error === undefined ? '' : errorId]
    .filter((part) => part !== '')
    .join(' ');
  return (
    <div className={`field${props.error === undefined ? '' : ' field-invalid'}`}>
      <label htmlFor={id}>{props.label}</label>
      {props.hint === undefined ? null : (
        <p id={hintId} className="hint">
          {props.hint}
        </p>
      )}
      {props.children({
        id,
        describedBy: describedBy === '' ? undefined : describedBy,
        invalid: props.error !== undefined,
      })}
      {props.error === undefined ? null : (
        <p id={errorId} className="field-error" role="alert">
          {props.error}
        </p>
      )}
    </div>
  );
}

/** A text, number or date input inside a {@link Field}. */
export function TextField(props: {
  label: string;
  value: string;
  onChange: (value: string) => void;
  error?: string | undefined;
  hint?: string;
  type?: 'text' | 'number' | 'date' | 'password' | 'search';
  required?: boolean;
  autoComplete?: string;
  inputMode?: 'numeric' | 'text' | 'decimal';
  min?: number;
  max?: number;
  name?: string;
}) {
  return (
    <Field
      label={props.label}
      error={props.error}
      {...(props.hint === undefined ? {} : { hint: props.hint })}
    >
      {({ id, describedBy, invalid }) => (
        <input
          id={id}
          name={props.name}
          type={props.type ?? 'text'}
          value={props.value}
          onChange={(event) => props.onChange(event.target.value)}
          aria-describedby={describedBy}
          aria-invalid={invalid}
          required={props.required}
          autoComplete={props.autoComplete ?? 'off'}
          inputMode={props.inputMode}
          min={props.min}
          max={props.max}
        />
      )}
    </Field>
  );
}

/** A select inside a {@link Field}. */
export function SelectField(props: {
  label: string;
  value: string;
  onChange: (value: string) => void;
  options: readonly { value: string; label: string }[];
  error?: string | undefined;
  hint?: string;
  required?: boolean;
  placeholder?: string;
}) {
  return (
    <Field
      label={props.label}
      error={props.error}
      {...(props.hint === undefined ? {} : { hint: props.hint })}
    >
      {({ id, describedBy, invalid }) => (
        <select
          id={id}
          value={props.value}
          onChange={(event) => props.onChange(event.target.value)}
          aria-describedby={describedBy}
          aria-invalid={invalid}
          required={props.required}
        >
          <option value="">{props.placeholder ?? 'Choose…'}</option>
          {props.options.map((option) => (
            <option key={option.value} value={option.value}>
              {option.label}
            </option>
          ))}
        </select>
      )}
    </Field>
  );
}

/** A group of radio buttons or checkboxes with a legend. */
export function ChoiceGroup(props: {
  legend: string;
  type: 'radio' | 'checkbox';
  options: readonly { value: string; label: string }[];
  selected: readonly string[];
  onChange: (selected: string[]) => void;
  error?: string | undefined;
  hint?: string;
  inline?: boolean;
}) {
  const name = useId();
  return (
    <fieldset
      className={`choice-group${props.inline === true ? ' inline' : ''}${props.error === undefined ? '' : ' field-invalid'}`}
    >
      <legend>{props.legend}</legend>
      {props.hint === undefined ? null : <p className="hint">{props.hint}</p>}
      {props.options.map((option) => {
        const checked = props.selected.includes(option.value);
        return (
          <label key={option.value} className="choice">
            <input
              type={props.type}
              name={name}
              value={option.value}
              checked={checked}
              onChange={() => {
                if (props.type === 'radio') props.onChange([option.value]);
                else
                  props.onChange(
                    checked
                      ? props.selected.filter((value) => value !== option.value)
                      : [...props.selected, option.value],
                  );
              }}
            />
            <span>{option.label}</span>
          </label>
        );
      })}
      {props.error === undefined ? null : (
        <p className="field-error" role="alert">
          {props.error}
        </p>
      )}
    </fieldset>
  );
}

/** Errors of fields the user has touched (or all, after a submit attempt). */
export function visibleErrors(
  errors: Readonly<Record<string, string>>,
  touched: ReadonlySet<string>,
  submitted: boolean,
): Record<string, string | undefined> {
  const shown: Record<string, string | undefined> = {};
  for (const [key, message] of Object.entries(errors))
    if (submitted || touched.has(key)) shown[key] = message;
  return shown;
}
