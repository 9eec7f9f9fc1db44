import type { Option } from './Field.js';
import { useFieldBinding } from './Form.js';

/**
 * A group of checkboxes in a fieldset whose legend names it; the error (from the form) is tied to
 * the group with aria-describedby. The summary link targets the first box.
 */
export function CheckboxGroup({
  name,
  legend,
  options,
  values,
  onChange,
}: {
  name: string;
  legend: string;
  options: Option[];
  values: string[];
  onChange: (values: string[]) => void;
}) {
  const { id, error } = useFieldBinding(name, legend);
  const base = id ?? name;
  return (
    <fieldset
      className={error ? 'field field--error' : 'field'}
      aria-describedby={error ? `${base}-error` : undefined}
    >
      <legend className="label">{legend}</legend>
      {error && (
        <span className="field__error" id={`${base}-error`}>
          {error}
        </span>
      )}
      {options.map((o, i) => (
        <div className="checkbox" key={o.value}>
          <input
            type="checkbox"
            id={i === 0 ? base : `${base}-${o.value}`}
            checked={values.includes(o.value)}
            onChange={(e) =>
              onChange(e.target.checked ? [...values, o.value] : values.filter((v) => v !== o.value))
            }
          />
          <label htmlFor={i === 0 ? base : `${base}-${o.value}`}>{o.label}</label>
        </div>
      ))}
    </fieldset>
  );
}
