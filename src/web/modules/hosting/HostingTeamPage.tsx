import { useState } from 'react';
import {
  INCIDENT_PHASE_LABELS,
  INCIDENT_PHASES,
  INCIDENT_STATES,
  type IncidentPhase,
  type IncidentState,
  MONITOR_KIND_LABELS,
  MONITOR_KINDS,
  type MonitorKind,
  SERVICE_STATE_LABELS,
} from '../../../contracts/hosting.js';
import {
  Button,
  CheckboxGroup,
  type Column,
  Form,
  formatDate,
  formatDateTime,
  type Option,
  optionsOf,
  PageTitle,
  QueryView,
  SelectField,
  Table,
  TextAreaField,
  TextField,
} from '../../ui/index.js';
import { useServices } from '../catalogue/api.js';
import { fromParisLocalInput } from '../rgpd/format.js';
import {
  type HostingIncident,
  type Monitor,
  useAddIncidentUpdate,
  useCreateMonitor,
  useDecideSeatRequest,
  useMonitors,
  useOpenIncident,
  useScheduleMaintenance,
  useSeatRequests,
  useStatus,
} from './api.js';
import { IncidentCard, MaintenanceItem } from './components.js';
import { ContinuityPlanEditor, DeclaredUnitsAction } from './team-forms.js';
import './hosting.css';

const text = (data: FormData, name: string) => String(data.get(name) ?? '').trim();
const STATE_OPTIONS = optionsOf(SERVICE_STATE_LABELS, INCIDENT_STATES);

function useServiceOptions(): Option[] {
  const services = useServices({ status: 'open' });
  return (services.data?.items ?? []).map((s) => ({ value: s.id, label: s.name }));
}

function DeclareIncident({ services }: { services: Option[] }) {
  const open = useOpenIncident();
  const [serviceIds, setServiceIds] = useState<string[]>([]);
  return (
    <section aria-labelledby="declarer-titre">
      <h2 id="declarer-titre">Déclarer un incident</h2>
      <Form
        id="incident"
        error={open.error}
        onSubmit={(data, form) =>
          open.mutate(
            {
              serviceIds,
              title: text(data, 'title'),
              state: text(data, 'state') as IncidentState,
              message: text(data, 'message'),
            },
            {
              onSuccess: () => {
                form.reset();
                setServiceIds([]);
              },
            },
          )
        }
      >
        <TextField name="title" label="Titre" required />
        <SelectField name="state" label="État des services" options={STATE_OPTIONS} required />
        <CheckboxGroup
          name="serviceIds"
          legend="Services concernés"
          options={services}
          values={serviceIds}
          onChange={setServiceIds}
        />
        <TextAreaField name="message" label="Message aux abonnés" rows={3} required />
        <div className="form-actions">
          <Button type="submit" pending={open.isPending}>
            Déclarer l’incident
          </Button>
        </div>
      </Form>
    </section>
  );
}

function IncidentUpdate({ incident }: { incident: HostingIncident }) {
  const update = useAddIncidentUpdate(incident.id);
  return (
    <div>
      <IncidentCard incident={incident} />
      <Form
        id={`etape-${incident.id}`}
        aria-label={`Nouvelle étape de l’incident « ${incident.title} »`}
        error={update.error}
        onSubmit={(data, form) => {
          const state = text(data, 'state');
          update.mutate(
            {
              phase: text(data, 'phase') as IncidentPhase,
              state: state ? (state as IncidentState) : undefined,
              message: text(data, 'message'),
            },
            { onSuccess: () => form.reset() },
          );
        }}
      >
        <SelectField
          name="phase"
          label="Étape"
          options={optionsOf(INCIDENT_PHASE_LABELS, INCIDENT_PHASES)}
          required
        />
        <SelectField
          name="state"
          label="Nouvel état (facultatif)"
          placeholder="Inchangé"
          options={STATE_OPTIONS}
        />
        <TextAreaField name="message" label="Message" rows={2} required />
        <div className="form-actions">
          <Button type="submit" variant="secondary" pending={update.isPending}>
            Publier l’étape
          </Button>
        </div>
      </Form>
    </div>
  );
}

function ScheduleMaintenance({ services }: { services: Option[] }) {
  const schedule = useScheduleMaintenance();
  const [serviceIds, setServiceIds] = useState<string[]>([]);
  return (
    <section aria-labelledby="maintenance-titre">
      <h2 id="maintenance-titre">Programmer une maintenance</h2>
      <Form
        id="maintenance"
        error={schedule.error}
        onSubmit={(data, form) =>
          schedule.mutate(
            {
              serviceIds,
              title: text(data, 'title'),
              message: text(data, 'message'),
              startsAt: fromParisLocalInput(text(data, 'startsAt')) ?? '',
              endsAt: fromParisLocalInput(text(data, 'endsAt')) ?? '',
            },
            {
              onSuccess: () => {
                form.reset();
                setServiceIds([]);
              },
            },
          )
        }
      >
        <TextField name="title" label="Titre" required />
        <CheckboxGroup
          name="serviceIds"
          legend="Services concernés"
          options={services}
          values={serviceIds}
          onChange={setServiceIds}
        />
        <TextField name="startsAt" type="datetime-local" label="Début (heure de Paris)" required />
        <TextField name="endsAt" type="datetime-local" label="Fin (heure de Paris)" required />
        <TextAreaField name="message" label="Message aux abonnés" rows={2} required />
        <div className="form-actions">
          <Button type="submit" pending={schedule.isPending}>
            Programmer
          </Button>
        </div>
      </Form>
    </section>
  );
}

const MONITOR_COLUMNS: Column<Monitor>[] = [
  { key: 'service', header: 'Service', rowHeader: true, render: (m) => m.serviceName },
  { key: 'kind', header: 'Sonde', render: (m) => MONITOR_KIND_LABELS[m.kind] },
  { key: 'target', header: 'Cible', render: (m) => m.target },
  { key: 'interval', header: 'Intervalle', render: (m) => `${m.intervalSeconds} s` },
  {
    key: 'last',
    header: 'Dernier résultat',
    render: (m) =>
      m.lastCheckAt
        ? `${m.lastOk ? 'Réussi' : 'Échec'} le ${formatDateTime(m.lastCheckAt)} : ${m.lastMessage ?? ''}`
        : 'Pas encore lancée',
  },
  {
    key: 'failures',
    header: 'Échecs consécutifs',
    numeric: true,
    render: (m) => `${m.consecutiveFailures} / ${m.failuresBeforeIncident}`,
  },
];

function Monitors({ services }: { services: Option[] }) {
  const monitors = useMonitors();
  const create = useCreateMonitor();
  return (
    <section aria-labelledby="sondes-titre">
      <h2 id="sondes-titre">Sondes</h2>
      <QueryView query={monitors} loadingLabel="Chargement des sondes…">
        {(data) =>
          data.items.length === 0 ? (
            <p>Aucune sonde.</p>
          ) : (
            <Table
              caption="Sondes"
              captionHidden
              columns={MONITOR_COLUMNS}
              rows={data.items}
              rowKey={(m) => m.id}
            />
          )
        }
      </QueryView>
      <h3>Nouvelle sonde</h3>
      <Form
        id="sonde"
        error={create.error}
        onSubmit={(data, form) =>
          create.mutate(
            {
              serviceId: text(data, 'serviceId'),
              kind: text(data, 'kind') as MonitorKind,
              target: text(data, 'target'),
              keyword: text(data, 'keyword') || null,
              intervalSeconds: Number(text(data, 'intervalSeconds')),
              failuresBeforeIncident: Number(text(data, 'failuresBeforeIncident')),
              tlsWarningDays: 14,
            },
            { onSuccess: () => form.reset() },
          )
        }
      >
        <SelectField name="serviceId" label="Service" placeholder="Choisir…" options={services} required />
        <SelectField
          name="kind"
          label="Type de sonde"
          options={optionsOf(MONITOR_KIND_LABELS, MONITOR_KINDS)}
          required
        />
        <TextField
          name="target"
          label="Cible"
          hint="Une adresse https://… pour HTTP(S) et certificat, hôte:port pour TCP ; seuls les hôtes autorisés (MONITOR_ALLOWED_HOSTS) sont acceptés."
          required
        />
        <TextField name="keyword" label="Mot-clé attendu (sonde « mot-clé »)" />
        <TextField
          name="intervalSeconds"
          type="number"
          label="Intervalle (secondes)"
          defaultValue="60"
          min={60}
          required
        />
        <TextField
          name="failuresBeforeIncident"
          type="number"
          label="Échecs consécutifs avant d’ouvrir un incident"
          defaultValue="3"
          min={1}
          required
        />
        <div className="form-actions">
          <Button type="submit" pending={create.isPending}>
            Créer la sonde
          </Button>
        </div>
      </Form>
    </section>
  );
}

/** The members' requests for more seats: accepted (the subscription's units grow) or refused. */
function SeatRequests() {
  const requests = useSeatRequests();
  const decide = useDecideSeatRequest();
  return (
    <section aria-labelledby="demandes-licences-titre">
      <h2 id="demandes-licences-titre">Demandes de licences supplémentaires</h2>
      <QueryView query={requests} loadingLabel="Chargement des demandes…">
        {(data) =>
          data.items.length === 0 ? (
            <p>Aucune demande en attente.</p>
          ) : (
            <ul className="hosting-seat-requests">
              {data.items.map((r) => (
                <li key={r.id}>
                  <p>
                    <strong>{r.memberName}</strong> demande {r.additional} {r.unitLabel} de plus pour «{' '}
                    {r.serviceName} » ({r.unitsBefore} à la demande), le {formatDate(r.requestedAt)}.
                  </p>
                  <Form
                    id={`refus-${r.id}`}
                    aria-label={`Décider de la demande de ${r.memberName} (${r.serviceName})`}
                    error={decide.variables?.id === r.id ? decide.error : null}
                    onSubmit={(form) => decide.mutate({ id: r.id, refuse: String(form.get('reason') ?? '') })}
                  >
                    <TextField name="reason" label="Motif en cas de refus" />
                    <div className="form-actions">
                      <Button
                        type="button"
                        pending={decide.isPending && decide.variables?.id === r.id}
                        onClick={() => decide.mutate({ id: r.id })}
                      >
                        Accepter
                      </Button>{' '}
                      <Button type="submit" variant="secondary">
                        Refuser
                      </Button>
                    </div>
                  </Form>
                </li>
              ))}
            </ul>
          )
        }
      </QueryView>
    </section>
  );
}

/** The hosting team's page: incidents, maintenance, monitors. */
export function HostingTeamPage() {
  const services = useServiceOptions();
  const status = useStatus();
  return (
    <>
      <PageTitle title="Hébergement">Hébergement : état des services</PageTitle>
      <p className="lead">
        Déclarez et suivez les incidents, programmez les maintenances : la <a href="/statut">page publique</a>
        , le flux Atom et l’accueil des adhérents abonnés se mettent à jour, et les abonnés sont prévenus par
        courriel.
      </p>
      <DeclareIncident services={services} />
      <section aria-labelledby="en-cours-titre">
        <h2 id="en-cours-titre">Incidents en cours</h2>
        <QueryView query={status} loadingLabel="Chargement des incidents…">
          {(data) => {
            const open = data.incidents;
            return open.length === 0 ? (
              <p>Aucun incident en cours.</p>
            ) : (
              open.map((i) => <IncidentUpdate key={i.id} incident={i} />)
            );
          }}
        </QueryView>
        <QueryView query={status} loadingLabel="">
          {(data) =>
            data.maintenances.length === 0 ? null : (
              <>
                <h3>Maintenances à venir</h3>
                <ul>
                  {data.maintenances.map((m) => (
                    <MaintenanceItem key={m.id} maintenance={m} />
                  ))}
                </ul>
              </>
            )
          }
        </QueryView>
      </section>
      <ScheduleMaintenance services={services} />
      <Monitors services={services} />
      <ContinuityPlanEditor services={services} />
      <SeatRequests />
      <DeclaredUnitsAction />
    </>
  );
}
