import { useState } from 'react';
import { TICKET_PRIORITY_LABELS, type TicketPriority } from '../../../contracts/support.js';
import {
  Badge,
  Button,
  EmptyState,
  Form,
  PageTitle,
  QueryView,
  SelectField,
  Table,
  TextField,
} from '../../ui/index.js';
import { type ServiceLevel, useSaveServiceLevels, useServiceLevels } from './operator-api.js';
import { SupportTeamNav } from './operator-nav.js';
import './support.css';

const hours = (minutes: number) => (minutes / 60).toLocaleString('fr-FR', { maximumFractionDigits: 2 });
const readHours = (value: string) => {
  const n = Number(value.trim().replace(',', '.'));
  return value.trim() !== '' && Number.isFinite(n) && n > 0 ? Math.round(n * 60) : null;
};

function LevelsForm({ serviceId, levels }: { serviceId: string; levels: ServiceLevel[] }) {
  const save = useSaveServiceLevels(serviceId);
  const [clientErrors, setClientErrors] = useState<Record<string, string>>({});
  return (
    <Form
      id="niveaux"
      error={save.error}
      clientErrors={clientErrors}
      onSubmit={(data) => {
        const errors: Record<string, string> = {};
        const bodies = levels.map((l) => {
          const label = TICKET_PRIORITY_LABELS[l.priority].toLowerCase();
          const first = readHours(String(data.get(`first-${l.priority}`) ?? ''));
          const resolution = readHours(String(data.get(`resolution-${l.priority}`) ?? ''));
          if (first === null)
            errors[`first-${l.priority}`] = `Priorité ${label} : un nombre d’heures positif`;
          if (resolution === null)
            errors[`resolution-${l.priority}`] = `Priorité ${label} : un nombre d’heures positif`;
          else if (first !== null && resolution < first)
            errors[`resolution-${l.priority}`] =
              `Priorité ${label} : la résolution ne peut être plus rapide que la première réponse`;
          return {
            priority: l.priority,
            body: { firstResponseMinutes: first ?? 0, resolutionMinutes: resolution ?? 0 },
          };
        });
        setClientErrors(errors);
        if (Object.keys(errors).length === 0) save.mutate(bodies);
      }}
    >
      {levels.map((l) => (
        <fieldset key={`${l.priority}-${l.firstResponseMinutes}-${l.resolutionMinutes}`}>
          <legend>
            Priorité {TICKET_PRIORITY_LABELS[l.priority].toLowerCase()}
            {l.isDefault && ' (valeurs par défaut)'}
          </legend>
          <TextField
            name={`first-${l.priority}`}
            label={`Première réponse, priorité ${TICKET_PRIORITY_LABELS[l.priority].toLowerCase()} (heures ouvrées)`}
            inputMode="decimal"
            defaultValue={hours(l.firstResponseMinutes)}
            required
          />
          <TextField
            name={`resolution-${l.priority}`}
            label={`Résolution, priorité ${TICKET_PRIORITY_LABELS[l.priority].toLowerCase()} (heures ouvrées)`}
            inputMode="decimal"
            defaultValue={hours(l.resolutionMinutes)}
            required
          />
        </fieldset>
      ))}
      <div className="form-actions">
        <Button type="submit" pending={save.isPending}>
          Enregistrer les niveaux de service
        </Button>
      </div>
    </Form>
  );
}

/**
 * The promises of the support desk per catalogue service and priority, in business hours (office
 * hours, public holidays excluded). A change applies to the tickets opened afterwards.
 */
export function ServiceLevelsPage() {
  const levels = useServiceLevels();
  const [serviceId, setServiceId] = useState('');
  return (
    <>
      <PageTitle title="Niveaux de service de l’assistance" />
      <SupportTeamNav />
      <p className="lead">
        Délais de première réponse et de résolution par service et par priorité, en heures ouvrées (jours
        ouvrés, hors jours fériés). Une modification vaut pour les demandes ouvertes ensuite.
      </p>
      <QueryView query={levels} loadingLabel="Chargement des niveaux de service…">
        {({ items }) => {
          if (items.length === 0) return <EmptyState>Aucun service au catalogue.</EmptyState>;
          const services = [...new Map(items.map((l) => [l.serviceId, l.serviceName])).entries()];
          const selected = items.filter((l) => l.serviceId === serviceId);
          return (
            <>
              <Table
                caption="Niveaux de service en vigueur (heures ouvrées)"
                rows={items}
                rowKey={(l) => `${l.serviceId}-${l.priority}`}
                columns={[
                  { key: 'service', header: 'Service', rowHeader: true, render: (l) => l.serviceName },
                  {
                    key: 'priority',
                    header: 'Priorité',
                    render: (l) => TICKET_PRIORITY_LABELS[l.priority as TicketPriority],
                  },
                  {
                    key: 'first',
                    header: 'Première réponse',
                    render: (l) => `${hours(l.firstResponseMinutes)} h`,
                  },
                  {
                    key: 'resolution',
                    header: 'Résolution',
                    render: (l) => `${hours(l.resolutionMinutes)} h`,
                  },
                  {
                    key: 'source',
                    header: 'Origine',
                    render: (l) =>
                      l.isDefault ? 'Par défaut' : <Badge tone="info">Fixé pour ce service</Badge>,
                  },
                ]}
              />
              <section aria-labelledby="modifier-niveaux">
                <h2 id="modifier-niveaux">Modifier les niveaux d’un service</h2>
                <SelectField
                  label="Service"
                  placeholder="Choisir un service"
                  options={services.map(([value, label]) => ({ value, label }))}
                  value={serviceId}
                  onChange={(e) => setServiceId(e.target.value)}
                />
                {selected.length > 0 && (
                  <LevelsForm key={serviceId} serviceId={serviceId} levels={selected} />
                )}
              </section>
            </>
          );
        }}
      </QueryView>
    </>
  );
}
