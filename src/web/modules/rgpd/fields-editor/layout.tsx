import { type ReactNode, useEffect, useRef } from 'react';
import { Button } from '../../../ui/index.js';

export function Section({ id, title, children }: { id: string; title: string; children: ReactNode }) {
  return (
    <section className="rgpd-section" aria-labelledby={id}>
      <h2 id={id}>{title}</h2>
      {children}
    </section>
  );
}

/** Rows of a repeatable group, each in its own fieldset; a new row receives focus. */
export function Repeat<T>({
  name,
  itemLabel,
  addLabel,
  items,
  onChange,
  make,
  render,
  disabled,
}: {
  name: string;
  itemLabel: string;
  addLabel: string;
  items: T[];
  onChange: (items: T[]) => void;
  make: () => T;
  render: (item: T, index: number, set: (patch: Partial<T>) => void) => ReactNode;
  disabled?: boolean;
}) {
  const container = useRef<HTMLDivElement>(null);
  const added = useRef(false);
  useEffect(() => {
    if (!added.current) return;
    added.current = false;
    const fieldsets = container.current?.querySelectorAll('fieldset');
    fieldsets?.[fieldsets.length - 1]?.querySelector<HTMLElement>('input, select, textarea')?.focus();
  });
  return (
    <div ref={container} id={`repeat-${name}`}>
      {items.length === 0 && <p className="muted">Aucun élément pour l'instant.</p>}
      {items.map((item, index) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: rows have no identity of their own
        <fieldset key={index} className="rgpd-repeat">
          <legend>
            {itemLabel} {index + 1}
          </legend>
          <div className="rgpd-repeat__fields">
            {render(item, index, (patch) =>
              onChange(items.map((it, i) => (i === index ? { ...it, ...patch } : it))),
            )}
            {!disabled && (
              <Button
                variant="tertiary"
                small
                onClick={() => onChange(items.filter((_, i) => i !== index))}
                aria-label={`Retirer : ${itemLabel.toLowerCase()} ${index + 1}`}
              >
                Retirer
              </Button>
            )}
          </div>
        </fieldset>
      ))}
      {!disabled && (
        <Button
          variant="secondary"
          small
          onClick={() => {
            added.current = true;
            onChange([...items, make()]);
          }}
        >
          {addLabel}
        </Button>
      )}
    </div>
  );
}
