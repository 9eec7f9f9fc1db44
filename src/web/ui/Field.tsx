import {
  type InputHTMLAttributes,
  type ReactNode,
  type SelectHTMLAttributes,
  type TextareaHTMLAttributes,
  useId,
} from 'react';
import { useFieldBinding } from './Form.js';

interface FieldShellProps {
  id: string;
  label: ReactNode;
  hint?: ReactNode;
  error?: string;
  required?: boolean;
  children: ReactNode;
}

function FieldShell({ id, label, hint, error, required, children }: FieldShellProps) {
  return (
    <div className={error ? 'field field--error' : 'field'}>
      <label htmlFor={id} className={required ? 'required' : undefined}>
        {label}
      </label>
      {hint && (
        <span className="field__hint" id={`${id}-hint`}>
          {hint}
        </span>
      )}
      {children}
      {error && (
        <span className="field__error" id={`${id}-error`}>
          {error}
        </span>
      )}
    </div>
  );
}

function useField(name: string | undefined, label: ReactNode, explicitId?: string, explicitError?: string) {
  const generated = useId();
  const binding = useFieldBinding(name, typeof label === 'string' ? label : (name ?? ''));
  const id = explicitId ?? binding.id ?? generated;
  const error = explicitError ?? binding.error;
  return { id, error };
}

function describedBy(id: string, hint: unknown, error: unknown) {
  return [hint ? `${id}-hint` : null, error ? `${id}-error` : null].filter(Boolean).join(' ') || undefined;
}

export interface TextFieldProps extends Omit<InputHTMLAttributes<HTMLInputElement>, 'id'> {
  label: string;
  hint?: ReactNode;
  error?: string;
  id?: string;
}

export function TextField({
  label,
  hint,
  error: explicitError,
  id: explicitId,
  name,
  required,
  ...rest
}: TextFieldProps) {
  const { id, error } = useField(name, label, explicitId, explicitError);
  return (
    <FieldShell id={id} label={label} hint={hint} error={error} required={required}>
      <input
        id={id}
        name={name}
        className="input"
        required={required}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy(id, hint, error)}
        {...rest}
      />
    </FieldShell>
  );
}

export interface TextAreaFieldProps extends Omit<TextareaHTMLAttributes<HTMLTextAreaElement>, 'id'> {
  label: string;
  hint?: ReactNode;
  error?: string;
}

export function TextAreaField({
  label,
  hint,
  error: explicitError,
  name,
  required,
  ...rest
}: TextAreaFieldProps) {
  const { id, error } = useField(name, label, undefined, explicitError);
  return (
    <FieldShell id={id} label={label} hint={hint} error={error} required={required}>
      <textarea
        id={id}
        name={name}
        className="textarea"
        required={required}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy(id, hint, error)}
        {...rest}
      />
    </FieldShell>
  );
}

export interface Option {
  value: string;
  label: string;
}

export interface SelectFieldProps extends Omit<SelectHTMLAttributes<HTMLSelectElement>, 'id'> {
  label: string;
  options: readonly Option[];
  /** Label of an empty first option ("Tous", "Choisir…"); omitted when absent. */
  placeholder?: string;
  hint?: ReactNode;
  error?: string;
  id?: string;
}

export function SelectField({
  label,
  options,
  placeholder,
  hint,
  error: explicitError,
  id: explicitId,
  name,
  required,
  ...rest
}: SelectFieldProps) {
  const { id, error } = useField(name, label, explicitId, explicitError);
  return (
    <FieldShell id={id} label={label} hint={hint} error={error} required={required}>
      <select
        id={id}
        name={name}
        className="select"
        required={required}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy(id, hint, error)}
        {...rest}
      >
        {placeholder !== undefined && <option value="">{placeholder}</option>}
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    </FieldShell>
  );
}

export interface FileFieldProps extends Omit<InputHTMLAttributes<HTMLInputElement>, 'id' | 'type'> {
  label: string;
  hint?: ReactNode;
  error?: string;
}

export function FileField({ label, hint, error: explicitError, name, required, ...rest }: FileFieldProps) {
  const { id, error } = useField(name, label, undefined, explicitError);
  return (
    <FieldShell id={id} label={label} hint={hint} error={error} required={required}>
      <input
        id={id}
        name={name}
        type="file"
        className="input"
        required={required}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy(id, hint, error)}
        {...rest}
      />
    </FieldShell>
  );
}

/** Turns a record of labels into select options, in the record's order. */
export function optionsOf(labels: Record<string, string>, keys?: readonly string[]): Option[] {
  return (keys ?? Object.keys(labels)).map((value) => ({ value, label: labels[value] ?? value }));
}
