import { useState } from 'react';
import { EXPOSURE_LABELS, EXPOSURES, type ServiceSoftware } from '../../../../contracts/cyber.js';
import { Button, Form, ModalDialog, optionsOf, SelectField, TextField } from '../../../ui/index.js';
import { useSaveServiceSoftware } from '../api.js';
import { readServiceSoftwareForm } from '../form-data.js';

type Row = ServiceSoftware['items'][number] | null;

/** The software an operator-run service brings to every subscriber's inventory, row by row. */
export function ServiceSoftwareDialog({
  service,
  onClose,
}: {
  service: ServiceSoftware;
  onClose: () => void;
}) {
  const save = useSaveServiceSoftware(service.serviceId);
  const [rows, setRows] = useState<Row[]>(service.items.length ? service.items : [null]);
  const [clientErrors, setClientErrors] = useState<Record<string, string>>({});
  return (
    <ModalDialog
      title={`Logiciels du service « ${service.serviceName} »`}
      isOpen
      onOpenChange={(open) => !open && onClose()}
    >
      <Form
        id="logiciels-service"
        error={save.error}
        clientErrors={clientErrors}
        onSubmit={(data) => {
          const read = readServiceSoftwareForm(data, rows.length);
          setClientErrors(read.errors);
          if (read.body) save.mutate(read.body, { onSuccess: onClose });
        }}
      >
        <p>
          Ces logiciels figurent dans l’inventaire des {service.subscribers} structures abonnées, avec la
          version indiquée : un avis qui les concerne les rend exposées. Un logiciel sans ligne remplie est
          retiré.
        </p>
        {rows.map((row, i) => (
          <fieldset key={row?.id ?? `nouveau-${i}`} className="cyber-question">
            <legend>Logiciel {i + 1}</legend>
            <TextField name={`items.${i}.name`} label="Nom" defaultValue={row?.name ?? ''} />
            <TextField name={`items.${i}.vendor`} label="Éditeur" defaultValue={row?.vendor ?? ''} />
            <TextField name={`items.${i}.product`} label="Produit" defaultValue={row?.product ?? ''} />
            <TextField name={`items.${i}.version`} label="Version" defaultValue={row?.version ?? ''} />
            <TextField
              name={`items.${i}.cpe`}
              label="Nom CPE 2.3 (facultatif)"
              defaultValue={row?.cpe ?? ''}
              spellCheck={false}
            />
            <SelectField
              name={`items.${i}.exposure`}
              label="Exposition"
              options={optionsOf(EXPOSURE_LABELS, EXPOSURES)}
              defaultValue={row?.exposure ?? 'internet'}
            />
          </fieldset>
        ))}
        <div className="form-actions">
          <Button variant="secondary" onClick={() => setRows((r) => [...r, null])}>
            Ajouter un logiciel
          </Button>
          <Button type="submit" pending={save.isPending}>
            Enregistrer
          </Button>
          <Button variant="tertiary" onClick={onClose}>
            Annuler
          </Button>
        </div>
      </Form>
    </ModalDialog>
  );
}
