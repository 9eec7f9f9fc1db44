import { useEffect, useRef, useState } from 'react';
import { useFieldBinding } from '../../../ui/Form.js';
import { Button, formatNumber } from '../../../ui/index.js';
import { type Target, targetLabel } from './targets.js';

/**
 * The chosen members, kept across searches. The error summary's link lands on the group itself
 * (focusable), which names the error through aria-describedby.
 */
export function ChosenList({
  chosen,
  onRemove,
  onClear,
}: {
  chosen: Target[];
  onRemove: (id: string) => void;
  onClear: () => void;
}) {
  const { id, error } = useFieldBinding('memberIds', 'Structures choisies');
  const group = useRef<HTMLFieldSetElement>(null);
  // A removed row takes its button with it: the focus goes to the next row's button, else the group.
  const [refocus, setRefocus] = useState<number | null>(null);
  useEffect(() => {
    if (refocus === null) return;
    const buttons = group.current?.querySelectorAll<HTMLButtonElement>('li button');
    const next = buttons && buttons.length > 0 ? buttons[Math.min(refocus, buttons.length - 1)] : null;
    (next ?? group.current)?.focus();
    setRefocus(null);
  }, [refocus]);
  return (
    <fieldset
      id={id}
      ref={group}
      tabIndex={-1}
      className={error ? 'field field--error' : 'field'}
      aria-describedby={error ? `${id}-error` : undefined}
    >
      <legend className="label">Structures qui recevront une copie ({formatNumber(chosen.length)})</legend>
      {error && (
        <span className="field__error" id={`${id}-error`}>
          {error}
        </span>
      )}
      {chosen.length === 0 ? (
        <p className="muted">Aucune structure choisie pour l'instant.</p>
      ) : (
        <>
          <ul className="rgpd-chosen">
            {chosen.map((m, i) => (
              <li key={m.id} className="row">
                <span>{targetLabel(m)}</span>
                <Button
                  variant="tertiary"
                  small
                  onClick={() => {
                    onRemove(m.id);
                    setRefocus(i);
                  }}
                >
                  Retirer<span className="sr-only"> {m.name}</span>
                </Button>
              </li>
            ))}
          </ul>
          {chosen.length > 1 && (
            <Button
              variant="secondary"
              small
              onClick={() => {
                onClear();
                setRefocus(0);
              }}
            >
              Retirer toutes les structures
            </Button>
          )}
        </>
      )}
    </fieldset>
  );
}
