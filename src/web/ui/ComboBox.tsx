import { useQuery } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import {
  Button as AriaButton,
  ComboBox,
  FieldError,
  Input,
  Label,
  ListBox,
  ListBoxItem,
  Popover,
  Text,
} from 'react-aria-components';
import { useFieldBinding } from './Form.js';

export interface SearchItem {
  id: string;
  label: string;
  /** What the caller wants back on selection (a commune's SIREN…). */
  meta?: Record<string, string | null>;
}

/**
 * A combobox that searches the server as the person types (debounced), and submits the chosen
 * item's id through a hidden input named `name`.
 */
export function SearchComboBox({
  name,
  label,
  hint,
  search,
  queryKey,
  required,
  onSelect,
}: {
  name: string;
  label: string;
  hint?: string;
  search: (text: string) => Promise<SearchItem[]>;
  queryKey: string;
  required?: boolean;
  /** Called with the chosen item (null when the choice is cleared). */
  onSelect?: (item: SearchItem | null) => void;
}) {
  const { id, error } = useFieldBinding(name, label);
  const [text, setText] = useState('');
  const [debounced, setDebounced] = useState('');
  const [selected, setSelected] = useState<string | null>(null);
  useEffect(() => {
    const timer = setTimeout(() => setDebounced(text), 250);
    return () => clearTimeout(timer);
  }, [text]);
  const results = useQuery({
    queryKey: ['combobox', queryKey, debounced],
    queryFn: () => search(debounced),
    enabled: debounced.trim().length >= 2,
  });
  const items = results.data ?? [];
  return (
    <div className={error ? 'field field--error combobox' : 'field combobox'} id={id}>
      <ComboBox
        inputValue={text}
        onInputChange={(value) => {
          setText(value);
          if (selected && !items.some((i) => i.id === selected && i.label === value)) setSelected(null);
        }}
        selectedKey={selected}
        onSelectionChange={(key) => {
          const item = items.find((i) => i.id === key);
          setSelected(key === null ? null : String(key));
          if (item) setText(item.label);
          onSelect?.(item ?? null);
        }}
        items={items}
        isInvalid={!!error}
        isRequired={required}
        menuTrigger="input"
        allowsEmptyCollection
      >
        <Label className={required ? 'required' : undefined}>{label}</Label>
        {hint && (
          <Text slot="description" className="field__hint">
            {hint}
          </Text>
        )}
        <div className="combobox__row">
          <Input className="input" />
          <AriaButton
            className="btn btn--tertiary btn--small"
            aria-label={`Afficher les propositions pour ${label}`}
          >
            ▾
          </AriaButton>
        </div>
        <FieldError className="field__error">{error}</FieldError>
        <Popover className="popover">
          <ListBox<SearchItem>
            className="listbox"
            renderEmptyState={() => (
              <p className="listbox-item">
                {text.trim().length < 2
                  ? 'Saisissez au moins 2 caractères.'
                  : results.isFetching
                    ? 'Recherche…'
                    : 'Aucun résultat.'}
              </p>
            )}
          >
            {(item) => (
              <ListBoxItem id={item.id} className="listbox-item" textValue={item.label}>
                {item.label}
              </ListBoxItem>
            )}
          </ListBox>
        </Popover>
      </ComboBox>
      <input type="hidden" name={name} value={selected ?? ''} />
    </div>
  );
}
