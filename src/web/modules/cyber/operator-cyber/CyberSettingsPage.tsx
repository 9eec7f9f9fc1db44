import { useState } from 'react';
import {
  EXPOSURE_LABELS,
  SEVERITIES,
  SEVERITY_LABELS,
  type ServiceSoftware,
} from '../../../../contracts/cyber.js';
import { countOf } from '../../../../contracts/french.js';
import { Button, EmptyState, Form, PageTitle, QueryView, Table, TextField } from '../../../ui/index.js';
import { useCyberSettings, useSaveCyberSettings, useServiceSoftware } from '../api.js';
import { OperatorCyberNav } from '../components.js';
import { readSettingsForm } from '../form-data.js';
import { ServiceSoftwareDialog } from './ServiceSoftwareDialog.js';

/** The cyber team's settings: days to remediate per severity, software of the operator's services. */
export function CyberSettingsPage() {
  return (
    <>
      <PageTitle title="Réglages de la cybersécurité" />
      <OperatorCyberNav />
      <RemediationDelays />
      <ServicesSoftware />
    </>
  );
}

function RemediationDelays() {
  const settings = useCyberSettings();
  const save = useSaveCyberSettings();
  const [clientErrors, setClientErrors] = useState<Record<string, string>>({});
  return (
    <section aria-labelledby="delais-titre">
      <h2 id="delais-titre">Délais de traitement des avis</h2>
      <p>
        Nombre de jours laissés aux structures concernées pour traiter un avis, à compter de son import, selon
        sa gravité. Un nouveau délai vaut pour les avis importés ensuite.
      </p>
      <QueryView query={settings} loadingLabel="Chargement des réglages…">
        {(s) => (
          <Form
            id="delais"
            error={save.error}
            clientErrors={clientErrors}
            onSubmit={(data) => {
              const read = readSettingsForm(data);
              setClientErrors(read.errors);
              if (read.body) save.mutate(read.body);
            }}
          >
            {SEVERITIES.map((severity) => (
              <TextField
                key={severity}
                name={`remediationDays.${severity}`}
                label={`Gravité ${SEVERITY_LABELS[severity].toLowerCase()} (jours)`}
                inputMode="numeric"
                defaultValue={String(s.remediationDays[severity])}
              />
            ))}
            <Button type="submit" pending={save.isPending}>
              Enregistrer les délais
            </Button>
          </Form>
        )}
      </QueryView>
    </section>
  );
}

function ServicesSoftware() {
  const services = useServiceSoftware();
  const [editing, setEditing] = useState<ServiceSoftware | null>(null);
  return (
    <section aria-labelledby="services-titre">
      <h2 id="services-titre">Logiciels des services de l’opérateur</h2>
      <p>
        Les services du catalogue que l’opérateur exploite apparaissent d’eux-mêmes dans l’inventaire de leurs
        abonnés, avec les logiciels et versions déclarés ici.
      </p>
      <QueryView query={services} loadingLabel="Chargement des services…">
        {(list) =>
          list.items.length === 0 ? (
            <EmptyState>Aucun service exploité par l’opérateur au catalogue.</EmptyState>
          ) : (
            <Table
              caption="Services exploités par l’opérateur et leurs logiciels"
              rows={list.items}
              rowKey={(s) => s.serviceId}
              columns={[
                { key: 'service', header: 'Service', rowHeader: true, render: (s) => s.serviceName },
                {
                  key: 'subscribers',
                  header: 'Abonnés',
                  render: (s) => countOf(s.subscribers, 'structure', 'structures'),
                },
                {
                  key: 'software',
                  header: 'Logiciels déclarés',
                  render: (s) =>
                    s.items.length === 0 ? (
                      <span className="muted">Aucun</span>
                    ) : (
                      <ul>
                        {s.items.map((i) => (
                          <li key={i.id}>
                            {i.vendor} {i.product} {i.version} ({EXPOSURE_LABELS[i.exposure].toLowerCase()})
                          </li>
                        ))}
                      </ul>
                    ),
                },
                {
                  key: 'actions',
                  header: 'Actions',
                  render: (s) => (
                    <Button
                      variant="secondary"
                      small
                      onClick={() => setEditing(s)}
                      aria-label={`Modifier les logiciels du service « ${s.serviceName} »`}
                    >
                      Modifier
                    </Button>
                  ),
                },
              ]}
            />
          )
        }
      </QueryView>
      {editing && <ServiceSoftwareDialog service={editing} onClose={() => setEditing(null)} />}
    </section>
  );
}
