import { QUALIFICATION_LABELS } from '../../../contracts/hosting.js';
import { type MemberSectionProps, registerMemberSection } from '../../app/member-sections.js';
import {
  Badge,
  Button,
  type Column,
  Form,
  formatDate,
  formatDateTime,
  QueryView,
  SelectField,
  Table,
  TextField,
} from '../../ui/index.js';
import {
  continuityDocumentUrl,
  type Instance,
  type Licence,
  useAskForMoreSeats,
  useContinuityPlans,
  useDeclareUsage,
  useInstances,
  useLicences,
  useMemberAvailability,
  useServiceStates,
} from './api.js';
import { IncidentCard, MaintenanceItem, StateBadge } from './components.js';
import { LicenceImport } from './licence-import.js';
import { ContinuityDocumentList, InstancesEditor } from './team-forms.js';
import './hosting.css';

const hours = (minutes: number) => (minutes % 60 === 0 ? `${minutes / 60} h` : `${minutes} min`);

const INSTANCE_COLUMNS: Column<Instance>[] = [
  {
    key: 'name',
    header: 'Instance',
    rowHeader: true,
    render: (i) => (
      <>
        {i.name}
        <br />
        <small>
          {i.serviceName} — {i.software} {i.softwareVersion}
        </small>
      </>
    ),
  },
  {
    key: 'where',
    header: 'Où sont les données',
    render: (i) => (
      <>
        {i.datacentre}, {i.region}
        <br />
        <small>{QUALIFICATION_LABELS[i.qualification]}</small>
      </>
    ),
  },
  {
    key: 'who',
    header: 'Qui les exploite',
    render: (i) => (
      <>
        {i.provider}
        {i.processor && (
          <>
            <br />
            <small>
              Sous-traitant au registre RGPD : {i.processor.name}
              {i.processor.transfersOutsideEu ? ' (transferts hors UE)' : ''}
            </small>
          </>
        )}
      </>
    ),
  },
  {
    key: 'backups',
    header: 'Sauvegardes',
    render: (i) => (
      <>
        {i.backupSchedule || '—'}, conservées {i.backupRetentionDays} jours
        <br />
        <small>
          Dernière réussie : {i.lastBackupAt ? formatDateTime(i.lastBackupAt) : 'aucune enregistrée'}
        </small>
      </>
    ),
  },
  {
    key: 'restore',
    header: 'Dernier test de restauration',
    render: (i) => (
      <>
        {i.lastRestoreTest ? (
          <>
            {formatDate(i.lastRestoreTest.testedAt)} : remise en service en{' '}
            {hours(i.lastRestoreTest.durationMinutes)} (objectif {hours(i.rtoMinutes)}), données de{' '}
            {hours(i.lastRestoreTest.dataAgeMinutes)} (objectif {hours(i.rpoMinutes)})
          </>
        ) : (
          'Aucun'
        )}
        {i.restoreTestOverdue && (
          <>
            {' '}
            <Badge tone="warning">Test en retard</Badge>
          </>
        )}
      </>
    ),
  },
  { key: 'state', header: 'État', render: (i) => <StateBadge state={i.state} /> },
];

const percent = (ratio: number) =>
  `${new Intl.NumberFormat('fr-FR', { maximumFractionDigits: 3 }).format(ratio * 100)} %`;

/** The previous calendar month, `YYYY-MM`. */
function previousMonth(): string {
  const d = new Date();
  const m = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() - 1, 1));
  return m.toISOString().slice(0, 7);
}
const MONTH_LABEL = new Intl.DateTimeFormat('fr-FR', { month: 'long', year: 'numeric', timeZone: 'UTC' });

const LICENCE_COLUMNS: Column<Licence>[] = [
  { key: 'service', header: 'Service', rowHeader: true, render: (l) => l.serviceName },
  { key: 'allowed', header: 'Autorisées', numeric: true, render: (l) => `${l.seatsAllowed} ${l.unitLabel}` },
  {
    key: 'used',
    header: 'Utilisées',
    numeric: true,
    render: (l) => (l.seatsUsed === null ? 'non déclaré' : String(l.seatsUsed)),
  },
  {
    key: 'alert',
    header: 'Alerte',
    render: (l) =>
      l.overCap ? (
        <Badge tone="error">Plafond dépassé</Badge>
      ) : l.nearCap ? (
        <Badge tone="warning">Proche du plafond</Badge>
      ) : (
        '—'
      ),
  },
  {
    key: 'request',
    header: 'Demande en cours',
    render: (l) =>
      l.pendingRequest ? (
        <>
          <Badge tone="info">En attente</Badge> +{l.pendingRequest.additional} {l.unitLabel} demandées le{' '}
          {formatDate(l.pendingRequest.requestedAt)}
        </>
      ) : (
        '—'
      ),
  },
];

/** Licences: the table, declaring the seats used (admins, agents, the team), more seats (admins, the team). */
function Licences({ member, auth, view }: MemberSectionProps) {
  const licences = useLicences(member.id);
  const declare = useDeclareUsage(member.id);
  const more = useAskForMoreSeats(member.id);
  const team = view === 'operator';
  const canDeclare = team || auth.isMemberAdmin || (!!auth.current && auth.current.role !== 'reader');
  const canAsk = team || auth.isMemberAdmin;
  return (
    <>
      <h3>Licences</h3>
      <QueryView query={licences} loadingLabel="Chargement des licences…">
        {(data) => {
          if (data.items.length === 0) return <p>Aucun service souscrit par licences.</p>;
          const options = data.items.map((l) => ({ value: l.subscriptionId, label: l.serviceName }));
          return (
            <>
              <Table
                caption="Licences"
                captionHidden
                columns={LICENCE_COLUMNS}
                rows={data.items}
                rowKey={(l) => l.subscriptionId}
              />
              {canDeclare && (
                <Form
                  id="licences-utilisees"
                  aria-label="Déclarer les licences utilisées"
                  error={declare.error}
                  onSubmit={(form) =>
                    declare.mutate({
                      subscriptionId: String(form.get('subscriptionId') ?? ''),
                      seatsUsed: Number(form.get('seatsUsed') ?? ''),
                    })
                  }
                >
                  <SelectField
                    name="subscriptionId"
                    label="Service (licences utilisées)"
                    options={options}
                    required
                  />
                  <TextField name="seatsUsed" type="number" min={0} label="Licences utilisées" required />
                  <div className="form-actions">
                    <Button type="submit" variant="secondary" pending={declare.isPending}>
                      Déclarer l’utilisation
                    </Button>
                  </div>
                </Form>
              )}
              {canDeclare && <LicenceImport memberId={member.id} licences={options} />}
              {canAsk && (
                <Form
                  id="licences-en-plus"
                  aria-label="Demander des licences supplémentaires"
                  error={more.error}
                  onSubmit={(form) =>
                    more.mutate({
                      subscriptionId: String(form.get('subscriptionId') ?? ''),
                      additional: Number(form.get('additional') ?? ''),
                    })
                  }
                >
                  <SelectField
                    name="subscriptionId"
                    label="Service (licences supplémentaires)"
                    options={options}
                    required
                  />
                  <TextField
                    name="additional"
                    type="number"
                    min={1}
                    label="Licences supplémentaires"
                    required
                  />
                  <p>
                    La demande est transmise à l’équipe hébergement : les licences autorisées augmentent quand
                    elle l’accepte. Une seule demande en attente par service.
                  </p>
                  <div className="form-actions">
                    <Button type="submit" pending={more.isPending}>
                      Demander des licences en plus
                    </Button>
                  </div>
                </Form>
              )}
            </>
          );
        }}
      </QueryView>
    </>
  );
}

/** « Hébergement » : the state of the member's services, and where its data lives and who runs it. */
function Hosting(props: MemberSectionProps) {
  const { member } = props;
  const states = useServiceStates(member.id);
  const instances = useInstances(member.id);
  const plans = useContinuityPlans(member.id);
  const month = previousMonth();
  const availability = useMemberAvailability(member.id, month);
  return (
    <section aria-labelledby="hebergement-titre">
      <h2 id="hebergement-titre">Hébergement</h2>
      <h3>État de vos services</h3>
      <QueryView query={states} loadingLabel="Chargement de l’état des services…">
        {(data) => (
          <>
            {data.items.length === 0 ? (
              <p>Aucun service souscrit.</p>
            ) : (
              <ul className="hosting-services">
                {data.items.map((s) => (
                  <li key={s.serviceId}>
                    <span className="hosting-service__name">{s.name}</span> <StateBadge state={s.state} />
                  </li>
                ))}
              </ul>
            )}
            {data.incidents.map((i) => (
              <IncidentCard key={i.id} incident={i} headingLevel={4} />
            ))}
            {data.maintenances.length > 0 && (
              <>
                <h4>Maintenances programmées</h4>
                <ul>
                  {data.maintenances.map((m) => (
                    <MaintenanceItem key={m.id} maintenance={m} />
                  ))}
                </ul>
              </>
            )}
            <p>
              <a href="/statut">Page publique de l’état des services</a>
            </p>
          </>
        )}
      </QueryView>
      <h3>Où sont vos données et qui les exploite</h3>
      <QueryView query={instances} loadingLabel="Chargement des instances…">
        {(data) => (
          <>
            {data.items.length === 0 ? (
              <p>Aucune instance hébergée pour cette structure.</p>
            ) : (
              <Table
                caption="Instances hébergées"
                captionHidden
                columns={INSTANCE_COLUMNS}
                rows={data.items}
                rowKey={(i) => i.id}
              />
            )}
            {props.view === 'operator' && <InstancesEditor memberId={member.id} instances={data.items} />}
          </>
        )}
      </QueryView>
      <h3>Disponibilité en {MONTH_LABEL.format(new Date(`${month}-01T00:00:00Z`))}</h3>
      <QueryView query={availability} loadingLabel="Chargement de la disponibilité…">
        {(data) =>
          data.items.length === 0 ? (
            <p>Aucun service souscrit.</p>
          ) : (
            <Table
              caption="Disponibilité des services le mois dernier"
              captionHidden
              rows={data.items}
              rowKey={(a) => a.serviceId}
              columns={[
                { key: 'service', header: 'Service', rowHeader: true, render: (a) => a.serviceName },
                {
                  key: 'availability',
                  header: 'Disponibilité',
                  numeric: true,
                  render: (a) => percent(a.availability),
                },
                {
                  key: 'target',
                  header: 'Niveau promis',
                  numeric: true,
                  render: (a) => percent(a.slaTarget),
                },
                {
                  key: 'downtime',
                  header: 'Interruptions (hors maintenances)',
                  numeric: true,
                  render: (a) => `${Math.round(a.downtimeMinutes)} min`,
                },
                {
                  key: 'met',
                  header: 'Engagement',
                  render: (a) =>
                    a.met ? <Badge tone="success">Tenu</Badge> : <Badge tone="error">Non tenu</Badge>,
                },
              ]}
            />
          )
        }
      </QueryView>
      <Licences {...props} />
      <h3>Plans de continuité</h3>
      <QueryView query={plans} loadingLabel="Chargement des plans de continuité…">
        {(data) =>
          data.items.length === 0 ? (
            <p>Aucun plan de continuité publié pour vos services.</p>
          ) : (
            data.items.map((plan) => (
              <article key={plan.serviceId}>
                <h4>{plan.serviceName}</h4>
                <p>
                  Remise en service en {hours(plan.rtoMinutes)} au plus (RTO), perte de données de{' '}
                  {hours(plan.rpoMinutes)} au plus (RPO).{' '}
                  {plan.lastExerciseOn
                    ? `Dernier exercice le ${formatDate(plan.lastExerciseOn)}${plan.lastExerciseSummary ? ` : ${plan.lastExerciseSummary}` : '.'}`
                    : 'Aucun exercice enregistré.'}
                </p>
                <p className="hosting-procedures">{plan.procedures}</p>
                {plan.documents.length > 0 && (
                  <ContinuityDocumentList
                    documents={plan.documents}
                    serviceName={plan.serviceName}
                    href={(d) => continuityDocumentUrl(d, member.id)}
                  />
                )}
              </article>
            ))
          )
        }
      </QueryView>
    </section>
  );
}

registerMemberSection({
  id: 'hebergement',
  label: 'Hébergement',
  order: 108,
  // Every person of the member; the operator's admins and hosting team.
  visible: (props) =>
    props.view === 'member' || props.auth.isOperatorAdmin || !!props.auth.current?.scopes.includes('hosting'),
  Component: Hosting,
});
