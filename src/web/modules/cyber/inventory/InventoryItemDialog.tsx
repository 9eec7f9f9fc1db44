import { useState } from 'react';
import {
  ASSET_KIND_LABELS,
  ASSET_KINDS,
  EXPOSURE_LABELS,
  EXPOSURES,
  RUNNER_LABELS,
  RUNNERS,
} from '../../../../contracts/cyber.js';
import {
  Button,
  Form,
  ModalDialog,
  optionsOf,
  SelectField,
  TextAreaField,
  TextField,
} from '../../../ui/index.js';
import { type InventoryItem, useDeleteInventoryItem, useSaveInventoryItem } from '../api.js';
import { readInventoryForm } from '../form-data.js';

/** Adds a line to the inventory or edits one the member entered (catalogue lines are the operator's). */
export function InventoryItemDialog({
  memberId,
  item,
  onClose,
}: {
  memberId: string;
  item?: InventoryItem;
  onClose: () => void;
}) {
  const save = useSaveInventoryItem(memberId);
  const remove = useDeleteInventoryItem(memberId);
  const [kind, setKind] = useState<string>(item?.kind ?? 'software');
  const [clientErrors, setClientErrors] = useState<Record<string, string>>({});
  const [confirmRemove, setConfirmRemove] = useState(false);
  const software = kind === 'software';
  return (
    <ModalDialog
      title={item ? `Modifier « ${item.name} »` : 'Ajouter à l’inventaire'}
      isOpen
      onOpenChange={(open) => !open && onClose()}
    >
      <Form
        id="element-inventaire"
        error={save.error ?? remove.error}
        clientErrors={clientErrors}
        onSubmit={(data) => {
          const read = readInventoryForm(data);
          setClientErrors(read.errors);
          if (!read.body) return;
          save.mutate({ id: item?.id, body: read.body }, { onSuccess: onClose });
        }}
      >
        <SelectField
          name="kind"
          label="Type"
          options={optionsOf(ASSET_KIND_LABELS, ASSET_KINDS)}
          value={kind}
          onChange={(e) => setKind(e.target.value)}
          required
        />
        <TextField
          name="name"
          label="Nom"
          hint="Comme on l’appelle dans la structure : « Serveur de fichiers », « mairie-exemple.fr »."
          defaultValue={item?.name ?? ''}
          required
        />
        {kind === 'workstation' && (
          <TextField
            name="quantity"
            label="Nombre de postes"
            inputMode="numeric"
            defaultValue={String(item?.quantity ?? 1)}
            required
          />
        )}
        <TextField name="vendor" label="Éditeur ou fabricant" defaultValue={item?.vendor ?? ''} />
        <TextField name="product" label="Produit" defaultValue={item?.product ?? ''} required={software} />
        <TextField
          name="version"
          label="Version"
          hint={software ? 'La version installée, telle que l’affiche le logiciel (ex. 7.2.4).' : undefined}
          defaultValue={item?.version ?? ''}
        />
        <TextField
          name="cpe"
          label="Nom CPE 2.3 (facultatif)"
          hint="Si vous le connaissez : cpe:2.3:a:éditeur:produit:version:*:*:*:*:*:*:*"
          defaultValue={item?.cpe ?? ''}
          spellCheck={false}
        />
        <SelectField
          name="runner"
          label="Exploité par"
          options={optionsOf(RUNNER_LABELS, RUNNERS)}
          defaultValue={item?.runner ?? 'member'}
        />
        <SelectField
          name="exposure"
          label="Exposition"
          options={optionsOf(EXPOSURE_LABELS, EXPOSURES)}
          defaultValue={item?.exposure ?? 'unknown'}
        />
        <TextAreaField name="notes" label="Notes" defaultValue={item?.notes ?? ''} rows={2} />
        <div className="form-actions">
          <Button type="submit" pending={save.isPending}>
            {item ? 'Enregistrer' : 'Ajouter'}
          </Button>
          <Button variant="secondary" onClick={onClose}>
            Annuler
          </Button>
          {item &&
            (confirmRemove ? (
              <Button
                variant="danger"
                pending={remove.isPending}
                onClick={() => remove.mutate(item.id, { onSuccess: onClose })}
              >
                Confirmer le retrait de « {item.name} »
              </Button>
            ) : (
              <Button variant="tertiary" onClick={() => setConfirmRemove(true)}>
                Retirer de l’inventaire…
              </Button>
            ))}
        </div>
      </Form>
    </ModalDialog>
  );
}
