import {
  createContext,
  type FormEvent,
  type ReactNode,
  type RefObject,
  useContext,
  useEffect,
  useMemo,
  useRef,
} from 'react';
import { describeFieldError } from '../../contracts/validation.js';
import { ApiError, errorMessage, fieldErrors } from '../app/api.js';

interface FormContextValue {
  prefix: string;
  errors: Record<string, string>;
  labels: RefObject<Map<string, string>>;
}

const FormContext = createContext<FormContextValue | null>(null);

/** Id of a field inside the current form, so the error summary can link to it. */
export function useFieldBinding(name: string | undefined, label: string) {
  const ctx = useContext(FormContext);
  if (ctx && name) ctx.labels.current.set(name, label);
  return {
    id: ctx && name ? `${ctx.prefix}-${name}` : undefined,
    error: ctx && name ? ctx.errors[name] : undefined,
  };
}

export interface FormProps {
  /** Unique on the page; prefixes the field ids. */
  id: string;
  /** The last submission's error (a mutation's `error`). */
  error?: unknown;
  /** Extra errors found in the browser, keyed by field name. */
  clientErrors?: Record<string, string>;
  onSubmit: (data: FormData, form: HTMLFormElement) => void;
  children: ReactNode;
  className?: string;
  'aria-labelledby'?: string;
  'aria-label'?: string;
}

/**
 * A form whose errors are announced: an error summary (role="alert") lists and links every invalid
 * field, each field gets aria-invalid and its message through aria-describedby, and the first invalid
 * field receives focus (the summary does when no field is at fault).
 */
export function Form({ id, error, clientErrors, onSubmit, children, className, ...aria }: FormProps) {
  const labels = useRef(new Map<string, string>());
  const errors = useMemo(() => ({ ...fieldErrors(error), ...(clientErrors ?? {}) }), [error, clientErrors]);
  const ctx = useMemo(() => ({ prefix: id, errors, labels }), [id, errors]);
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    onSubmit(new FormData(event.currentTarget), event.currentTarget);
  };
  const hasClientErrors = clientErrors && Object.keys(clientErrors).length > 0;
  return (
    <FormContext.Provider value={ctx}>
      <form id={id} noValidate onSubmit={submit} className={className} {...aria}>
        {(error || hasClientErrors) && (
          <ErrorSummary prefix={id} error={error} errors={errors} labels={labels.current} />
        )}
        {children}
      </form>
    </FormContext.Provider>
  );
}

function ErrorSummary({
  prefix,
  error,
  errors,
  labels,
}: {
  prefix: string;
  error: unknown;
  errors: Record<string, string>;
  labels: Map<string, string>;
}) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!error && Object.keys(errors).length === 0) return;
    const form = ref.current?.closest('form');
    // Document order: the first field marked invalid, or the input inside the first field in error.
    const field = form?.querySelector<HTMLElement>(
      '[aria-invalid="true"], .field--error input, .field--error select, .field--error textarea',
    );
    (field ?? ref.current)?.focus();
  }, [error, errors]);
  const entries = Object.entries(errors);
  const detail = error ? errorMessage(error) : null;
  const title =
    error instanceof ApiError && error.status >= 500
      ? 'Le serveur a rencontré une erreur'
      : entries.length > 0
        ? `${entries.length === 1 ? 'Une erreur empêche' : `${entries.length} erreurs empêchent`} l'enregistrement`
        : 'Action impossible';
  const focusField = (name: string) => (event: React.MouseEvent) => {
    const el = document.getElementById(`${prefix}-${name}`);
    // Composite widgets (combobox) carry the id on their wrapper: focus the input inside.
    const target =
      el && !('value' in el) ? (el.querySelector<HTMLElement>('input, select, textarea') ?? el) : el;
    if (target) {
      event.preventDefault();
      target.focus();
    }
  };
  return (
    <div
      className="alert alert--error"
      role="alert"
      tabIndex={-1}
      ref={ref}
      aria-labelledby={`${prefix}-summary`}
    >
      <h2 className="alert__title" id={`${prefix}-summary`}>
        {title}
      </h2>
      {detail && entries.length === 0 && <p>{detail}</p>}
      {entries.length > 0 && (
        <ul>
          {entries.map(([name, message]) => {
            const label = labels.get(name);
            return (
              <li key={name}>
                {label ? (
                  <a href={`#${prefix}-${name}`} onClick={focusField(name)}>
                    {describeFieldError(label, message)}
                  </a>
                ) : (
                  describeFieldError(name, message)
                )}
              </li>
            );
          })}
        </ul>
      )}
    </div>
  );
}
