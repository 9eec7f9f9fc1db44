import { useState } from 'react';
import { countOf } from '../../../contracts/french.js';
import {
  backupInputSchema,
  type InstanceInput,
  QUALIFICATION_LABELS,
  QUALIFICATIONS,
} from '../../../contracts/hosting.js';
import { fieldErrorsOf } from '../../../contracts/validation.js';
import { ApiError, errorMessage } from '../../app/api.js';
import {
  Alert,
  Button,
  FileField,
  Form,
  formatBytes,
  formatDateTime,
  type Option,
  optionsOf,
  QueryView,
  SelectField,
  Table,
  TextAreaField,
  TextField,
} from '../../ui/index.js';
import { fromParisLocalInput } from '../rgpd/format.js';
import { useMySubscriptions } from '../subscriptions/api.js';
import {
  type ContinuityDocument,
  continuityDocumentUrl,
  type Instance,
  useAddContinuityDocument,
  useContinuityPlan,
  useDeclaredUnits,
  useDeleteContinuityDocument,
  usePutContinuityPlan,
  useRecordBackup,
  useRecordRestoreTest,
  useSaveInstance,
} from './api.js';

/**
 * The hosting team's editing forms: instances (on a member's page), restore tests, continuity plans
 * and the licences' usage as declared units (on the team's page).
 */

const text = (data: FormData, name: string) => String(data.get(name) ?? '').trim();
const int = (data: FormData, name: string) => {
  const value = text(data, name);
  return value === '' ? Number.NaN : Number(value);
};
const QUALIFICATION_OPTIONS = optionsOf(QUALIFICATION_LABELS, QUALIFICATIONS);
const LIVE = new Set(['active', 'termination_requested']);

function instanceInput(data: FormData): InstanceInput {
  const url = text(data, 'url');
  return {
    subscriptionId: text(data, 'subscriptionId'),
    name: text(data, 'name'),
    url: url === '' ? null : url,
    software: text(data, 'software'),
    softwareVersion: text(data, 'softwareVersion'),
    datacentre: text(data, 'datacentre'),
    region: text(data, 'region'),
    provider: text(data, 'provider'),
    qualification: text(data, 'qualification') as InstanceInput['qualification'],
    plan: text(data, 'plan'),
    backupSchedule: text(data, 'backupSchedule'),
    backupRetentionDays: int(data, 'backupRetentionDays'),
    restoreTestEveryDays: int(data, 'restoreTestEveryDays'),
    rtoMinutes: int(data, 'rtoMinutes'),
    rpoMinutes: int(data, 'rpoMinutes'),
    processorId: null,
  };
}

function InstanceForm({
  memberId,
  instance,
  subscriptions,
  onDone,
}: {
  memberId: string;
  instance: Instance | null;
  subscriptions: Option[];
  onDone: () => void;
}) {
  const save = useSaveInstance(memberId, instance?.id);
  const id = instance ? `instance-${instance.id}` : 'instance-nouvelle';
  return (
    <Form
      id={id}
      aria-label={instance ? `Modifier l’instance « ${instance.name} »` : 'Déclarer une instance'}
      error={save.error}
      onSubmit={(data, form) =>
        save.mutate(instanceInput(data), {
          onSuccess: () => {
            if (!instance) form.reset();
            onDone();
          },
        })
      }
    >
      <SelectField
        name="subscriptionId"
        label="Abonnement servi"
        options={subscriptions}
        defaultValue={instance?.subscriptionId}
        required
      />
      <TextField name="name" label="Nom de l’instance" defaultValue={instance?.name} required />
      <TextField name="url" type="url" label="Adresse (https://…)" defaultValue={instance?.url ?? ''} />
      <TextField name="software" label="Logiciel" defaultValue={instance?.software} required />
      <TextField name="softwareVersion" label="Version" defaultValue={instance?.softwareVersion} required />
      <TextField name="datacentre" label="Centre de données" defaultValue={instance?.datacentre} required />
      <TextField name="region" label="Région" defaultValue={instance?.region} required />
      <TextField name="provider" label="Hébergeur" defaultValue={instance?.provider} required />
      <SelectField
        name="qualification"
        label="Qualification"
        options={QUALIFICATION_OPTIONS}
        defaultValue={instance?.qualification ?? 'none'}
      />
      <TextField name="plan" label="Offre ou taille" defaultValue={instance?.plan ?? ''} />
      <TextField
        name="backupSchedule"
        label="Fréquence des sauvegardes"
        defaultValue={instance?.backupSchedule ?? ''}
      />
      <TextField
        name="backupRetentionDays"
        type="number"
        min={0}
        label="Conservation des sauvegardes (jours)"
        defaultValue={instance?.backupRetentionDays ?? 30}
        required
      />
      <TextField
        name="restoreTestEveryDays"
        type="number"
        min={1}
        label="Test de restauration tous les (jours)"
        defaultValue={instance?.restoreTestEveryDays ?? 180}
        required
      />
      <TextField
        name="rtoMinutes"
        type="number"
        min={0}
        label="RTO visé (minutes)"
        defaultValue={instance?.rtoMinutes}
        required
      />
      <TextField
        name="rpoMinutes"
        type="number"
        min={0}
        label="RPO visé (minutes)"
        defaultValue={instance?.rpoMinutes}
        required
      />
      <div className="form-actions">
        <Button type="submit" pending={save.isPending}>
          {instance ? 'Enregistrer l’instance' : 'Déclarer l’instance'}
        </Button>
      </div>
    </Form>
  );
}

function RestoreTestForm({ memberId, instance }: { memberId: string; instance: Instance }) {
  const record = useRecordRestoreTest(memberId, instance.id);
  const [clientErrors, setClientErrors] = useState<Record<string, string>>({});
  return (
    <Form
      id={`restauration-${instance.id}`}
      aria-label={`Enregistrer un test de restauration de « ${instance.name} »`}
      error={record.error}
      clientErrors={clientErrors}
      onSubmit={(data, form) => {
        const testedAt = fromParisLocalInput(text(data, 'testedAt'));
        if (!testedAt) {
          setClientErrors({ testedAt: 'Date et heure du test attendues.' });
          return;
        }
        setClientErrors({});
        record.mutate(
          {
            testedAt,
            durationMinutes: int(data, 'durationMinutes'),
            dataAgeMinutes: int(data, 'dataAgeMinutes'),
            succeeded: text(data, 'succeeded') !== 'false',
            note: text(data, 'note'),
          },
          { onSuccess: () => form.reset() },
        );
      }}
    >
      <TextField name="testedAt" type="datetime-local" label="Date du test (heure de Paris)" required />
      <TextField
        name="durationMinutes"
        type="number"
        min={0}
        label="Durée de la restauration (minutes, RTO mesuré)"
        required
      />
      <TextField
        name="dataAgeMinutes"
        type="number"
        min={0}
        label="Âge des données restaurées (minutes, RPO mesuré)"
        required
      />
      <SelectField
        name="succeeded"
        label="Résultat"
        options={[
          { value: 'true', label: 'Réussi' },
          { value: 'false', label: 'Échoué' },
        ]}
      />
      <TextAreaField name="note" label="Remarques" rows={2} />
      <div className="form-actions">
        <Button type="submit" variant="secondary" pending={record.isPending}>
          Enregistrer le test
        </Button>
      </div>
    </Form>
  );
}

const MEGABYTE = 1024 * 1024;

/**
 * A backup run's result (date, success or failure, size, duration, note), checked against the
 * server's contract before sending; afterwards, the instance's last success as the server answers it.
 */
function BackupForm({ memberId, instance }: { memberId: string; instance: Instance }) {
  const record = useRecordBackup(memberId, instance.id);
  const [clientErrors, setClientErrors] = useState<Record<string, string>>({});
  return (
    <>
      <Form
        id={`sauvegarde-${instance.id}`}
        aria-label={`Enregistrer une sauvegarde de « ${instance.name} »`}
        error={record.error}
        clientErrors={clientErrors}
        onSubmit={(data, form) => {
          const errors: Record<string, string> = {};
          const local = text(data, 'at');
          const at = fromParisLocalInput(local);
          if (!at) errors.at = 'La date de la sauvegarde est obligatoire.';
          else if (new Date(at).getTime() > Date.now())
            errors.at = 'La date de la sauvegarde ne peut pas être dans le futur.';
          const size = text(data, 'sizeMegabytes').replace(',', '.');
          const megabytes = size === '' ? null : Number(size);
          if (megabytes !== null && !(Number.isFinite(megabytes) && megabytes >= 0)) {
            errors.sizeMegabytes = 'La taille de la sauvegarde doit être un nombre de Mo positif.';
          }
          const duration = text(data, 'durationMinutes');
          const body = {
            at: at ?? '',
            succeeded: text(data, 'succeeded') !== 'false',
            sizeBytes: megabytes === null || errors.sizeMegabytes ? null : Math.round(megabytes * MEGABYTE),
            durationMinutes: duration === '' ? null : Number(duration),
            note: text(data, 'note'),
          };
          // The same contract as the server's: every invalid field is told at once, before sending.
          const checked = backupInputSchema.safeParse(body);
          if (!checked.success) {
            for (const [field, message] of Object.entries(fieldErrorsOf(checked.error))) {
              const name = field === 'sizeBytes' ? 'sizeMegabytes' : field;
              errors[name] ??= message;
            }
          }
          setClientErrors(errors);
          if (Object.keys(errors).length > 0) {
            record.reset();
            return;
          }
          record.mutate(body, { onSuccess: () => form.reset() });
        }}
      >
        <TextField name="at" type="datetime-local" label="Date de la sauvegarde (heure de Paris)" required />
        <SelectField
          name="succeeded"
          label="Résultat de la sauvegarde"
          options={[
            { value: 'true', label: 'Réussie' },
            { value: 'false', label: 'Échouée' },
          ]}
        />
        <TextField name="sizeMegabytes" inputMode="decimal" label="Taille (Mo)" />
        <TextField name="durationMinutes" type="number" min={0} label="Durée de la sauvegarde (minutes)" />
        <TextAreaField name="note" label="Note sur la sauvegarde" rows={2} />
        <div className="form-actions">
          <Button type="submit" variant="secondary" pending={record.isPending}>
            Enregistrer la sauvegarde
          </Button>
        </div>
      </Form>
      <div aria-live="polite">
        {record.data && (
          <p>
            Dernière sauvegarde réussie de « {instance.name} » :{' '}
            {record.data.lastBackupAt ? formatDateTime(record.data.lastBackupAt) : 'aucune enregistrée'}.
          </p>
        )}
      </div>
    </>
  );
}

/** On a member's page, for the team: declare or edit its instances, record backups and restore tests. */
export function InstancesEditor({ memberId, instances }: { memberId: string; instances: Instance[] }) {
  const subscriptions = useMySubscriptions(memberId);
  const [editing, setEditing] = useState('');
  const instance = instances.find((i) => i.id === editing) ?? null;
  return (
    <section aria-labelledby="instances-equipe-titre">
      <h3 id="instances-equipe-titre">Gérer les instances (équipe hébergement)</h3>
      <QueryView query={subscriptions} loadingLabel="Chargement des abonnements…">
        {(data) => {
          const options = data.items
            .filter((s) => LIVE.has(s.status))
            .map((s) => ({ value: s.id, label: s.service.name }));
          if (options.length === 0) return <p>Aucun abonnement en cours : aucune instance à déclarer.</p>;
          return (
            <>
              <SelectField
                name="instance-choice"
                label="Instance"
                options={[
                  { value: '', label: 'Nouvelle instance' },
                  ...instances.map((i) => ({ value: i.id, label: `Modifier « ${i.name} »` })),
                ]}
                value={editing}
                onChange={(event) => setEditing(event.target.value)}
              />
              <InstanceForm
                key={editing || 'new'}
                memberId={memberId}
                instance={instance}
                subscriptions={options}
                onDone={() => setEditing('')}
              />
            </>
          );
        }}
      </QueryView>
      {instances.map((i) => (
        <div key={i.id}>
          <details>
            <summary>Sauvegarde de « {i.name} »</summary>
            <BackupForm memberId={memberId} instance={i} />
          </details>
          <details>
            <summary>Test de restauration de « {i.name} »</summary>
            <RestoreTestForm memberId={memberId} instance={i} />
          </details>
        </div>
      ))}
    </section>
  );
}

/** The team writes a service's continuity plan (read by its subscribers). */
export function ContinuityPlanEditor({ services }: { services: Option[] }) {
  const [serviceId, setServiceId] = useState('');
  const put = usePutContinuityPlan(serviceId);
  const [clientErrors, setClientErrors] = useState<Record<string, string>>({});
  return (
    <section aria-labelledby="continuite-titre">
      <h2 id="continuite-titre">Plan de continuité d’un service</h2>
      <Form
        id="plan-continuite"
        error={put.error}
        clientErrors={clientErrors}
        onSubmit={(data) => {
          if (!serviceId) {
            setClientErrors({ serviceId: 'Choisissez le service.' });
            return;
          }
          setClientErrors({});
          const exercise = text(data, 'lastExerciseOn');
          put.mutate({
            rtoMinutes: int(data, 'rtoMinutes'),
            rpoMinutes: int(data, 'rpoMinutes'),
            procedures: text(data, 'procedures'),
            lastExerciseOn: exercise === '' ? null : exercise,
            lastExerciseSummary: text(data, 'lastExerciseSummary'),
          });
        }}
      >
        <SelectField
          name="serviceId"
          label="Service"
          placeholder="Choisir…"
          options={services}
          value={serviceId}
          onChange={(event) => setServiceId(event.target.value)}
          required
        />
        <TextField name="rtoMinutes" type="number" min={0} label="RTO (minutes)" required />
        <TextField name="rpoMinutes" type="number" min={0} label="RPO (minutes)" required />
        <TextAreaField
          name="procedures"
          label="Procédures (bascule, restauration, communication)"
          rows={5}
          required
        />
        <TextField name="lastExerciseOn" type="date" label="Date du dernier exercice" />
        <TextAreaField name="lastExerciseSummary" label="Bilan du dernier exercice" rows={2} />
        <div className="form-actions">
          <Button type="submit" pending={put.isPending}>
            Enregistrer le plan
          </Button>
        </div>
      </Form>
      {serviceId && <ContinuityDocuments key={serviceId} serviceId={serviceId} />}
    </section>
  );
}

/** The file types the server accepts for a plan's documents (checked again there, by content). */
const CONTINUITY_ACCEPT = '.pdf,.odt,.docx';

/** A plan's documents as download links, `href` saying where each is read (the team's or a member's route). */
export function ContinuityDocumentList({
  documents,
  href,
  serviceName,
  onDelete,
  deleting,
}: {
  documents: ContinuityDocument[];
  href: (document: ContinuityDocument) => string;
  serviceName: string;
  onDelete?: (document: ContinuityDocument) => void;
  deleting?: boolean;
}) {
  if (documents.length === 0) return <p>Aucun document joint au plan.</p>;
  return (
    <ul className="hosting-documents" aria-label={`Documents du plan de continuité « ${serviceName} »`}>
      {documents.map((d) => (
        <li key={d.id}>
          <a href={href(d)} download={d.fileName}>
            {d.fileName}
          </a>{' '}
          <span className="muted">({formatBytes(d.sizeBytes)})</span>
          {onDelete && (
            <>
              {' '}
              <Button
                type="button"
                variant="secondary"
                small
                pending={deleting}
                aria-label={`Retirer « ${d.fileName} »`}
                onClick={() => onDelete(d)}
              >
                Retirer
              </Button>
            </>
          )}
        </li>
      ))}
    </ul>
  );
}

/** The team's view of a plan's documents: list, download, remove, attach (PDF, ODT, DOCX). */
function ContinuityDocuments({ serviceId }: { serviceId: string }) {
  const plan = useContinuityPlan(serviceId);
  const add = useAddContinuityDocument(serviceId);
  const remove = useDeleteContinuityDocument(serviceId);
  const [clientErrors, setClientErrors] = useState<Record<string, string>>({});
  if (plan.isPending) return <p>Chargement des documents du plan…</p>;
  if (plan.isError) {
    return plan.error instanceof ApiError && plan.error.status === 404 ? (
      <p>Ce service n’a pas encore de plan de continuité : enregistrez-le avant d’y joindre des documents.</p>
    ) : (
      <Alert type="error" title="Documents indisponibles">
        <p>{errorMessage(plan.error)}</p>
      </Alert>
    );
  }
  return (
    <section aria-labelledby="documents-plan-titre">
      <h3 id="documents-plan-titre">Documents du plan « {plan.data.serviceName} »</h3>
      <ContinuityDocumentList
        documents={plan.data.documents}
        serviceName={plan.data.serviceName}
        href={(d) => continuityDocumentUrl(d)}
        onDelete={(d) => remove.mutate(d.id)}
        deleting={remove.isPending}
      />
      {remove.error ? (
        <Alert type="error" title="Document non retiré">
          <p>{errorMessage(remove.error)}</p>
        </Alert>
      ) : null}
      <Form
        id="document-plan"
        aria-label={`Joindre une procédure au plan « ${plan.data.serviceName} »`}
        error={add.error}
        clientErrors={clientErrors}
        onSubmit={(data, form) => {
          const file = data.get('file');
          if (!(file instanceof File) || file.size === 0) {
            setClientErrors({ file: 'Choisissez le document à joindre (PDF, ODT ou DOCX).' });
            return;
          }
          setClientErrors({});
          add.mutate(data, { onSuccess: () => form.reset() });
        }}
      >
        <FileField
          name="file"
          label="Procédure à joindre"
          hint="PDF, ODT ou DOCX."
          accept={CONTINUITY_ACCEPT}
        />
        <div className="form-actions">
          <Button type="submit" variant="secondary" pending={add.isPending}>
            Joindre le document
          </Button>
        </div>
      </Form>
    </section>
  );
}

/** The licences' usage as the pricing engine's declared units for a year: preview, then confirm. */
export function DeclaredUnitsAction() {
  const units = useDeclaredUnits();
  // The year whose tariffs are being prepared: next year's by default (this year's are usually adopted).
  const [year, setYear] = useState(new Date().getFullYear() + 1);
  const report = units.data;
  return (
    <section aria-labelledby="unites-titre">
      <h2 id="unites-titre">Licences utilisées et unités déclarées</h2>
      <p>
        Les unités déclarées des abonnements servent à répartir les coûts de l’année : prenez les licences
        utilisées (déclarées ou importées par les adhérents) comme unités déclarées, après un aperçu.
      </p>
      <Form id="unites-declarees" error={units.error} onSubmit={() => units.mutate({ year, confirm: false })}>
        <TextField
          name="year"
          type="number"
          min={2000}
          max={2200}
          label="Année de tarification"
          value={year}
          onChange={(event) => {
            setYear(Number(event.target.value));
            units.reset();
          }}
          required
        />
        <div className="form-actions">
          <Button type="submit" variant="secondary" pending={units.isPending}>
            Voir les abonnements concernés
          </Button>
        </div>
      </Form>
      {report && (
        <div aria-live="polite">
          {report.confirmed ? (
            <Alert type="success" title="Unités déclarées mises à jour">
              <p>{countOf(report.changes.length, 'abonnement modifié', 'abonnements modifiés')}.</p>
            </Alert>
          ) : report.changes.length === 0 ? (
            <p>Les unités déclarées de {report.year} correspondent déjà aux licences utilisées.</p>
          ) : (
            <>
              <Table
                caption={`Unités déclarées à remplacer pour ${report.year}`}
                rows={report.changes}
                rowKey={(c) => c.subscriptionId}
                columns={[
                  { key: 'member', header: 'Adhérent', rowHeader: true, render: (c) => c.memberName },
                  { key: 'service', header: 'Service', render: (c) => c.serviceName },
                  {
                    key: 'units',
                    header: 'Unités déclarées',
                    numeric: true,
                    render: (c) => (c.units === null ? '—' : c.units),
                  },
                  { key: 'used', header: 'Licences utilisées', numeric: true, render: (c) => c.seatsUsed },
                ]}
              />
              <Button
                type="button"
                pending={units.isPending}
                onClick={() => units.mutate({ year: report.year, confirm: true })}
              >
                Confirmer : les licences utilisées deviennent les unités déclarées de {report.year}
              </Button>
            </>
          )}
        </div>
      )}
    </section>
  );
}
