import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useNavigate, useSearch } from '@tanstack/react-router';
import type { FormEvent } from 'react';
import {
  JOB_LABELS,
  JOB_STATE_LABELS,
  JOB_STATES,
  type Job,
  type JobSchedule,
  type JobState,
} from '../../../contracts/jobs.js';
import { api, errorMessage, type Page } from '../../app/api.js';
import {
  Alert,
  Badge,
  type BadgeTone,
  Button,
  EmptyState,
  formatDateTime,
  formatNumber,
  optionsOf,
  PageTitle,
  Pagination,
  QueryView,
  SelectField,
  Table,
  useCursorPages,
} from '../../ui/index.js';

const PAGE_SIZE = 50;
const STATE_TONES: Record<JobState, BadgeTone> = {
  pending: 'info',
  running: 'new',
  done: 'success',
  dead: 'error',
};

const labelOf = (name: string) => JOB_LABELS[name] ?? name;

/** "0 7 * * *" → "Chaque jour à 07:00"; other expressions are shown as they are. */
function describeCron(cron: string): string {
  const daily = /^(\d{1,2}) (\d{1,2}) \* \* \*$/.exec(cron);
  if (!daily) return `Selon l’expression cron « ${cron} »`;
  return `Chaque jour à ${daily[2].padStart(2, '0')}:${daily[1].padStart(2, '0')}`;
}

function JobName({ name }: { name: string }) {
  return (
    <>
      {labelOf(name)}
      {JOB_LABELS[name] && (
        <>
          {' '}
          <code className="muted">{name}</code>
        </>
      )}
    </>
  );
}

function SchedulesSection() {
  const schedules = useQuery({
    queryKey: ['jobs', 'schedules'],
    queryFn: () => api.get<{ items: JobSchedule[] }>('/api/v1/jobs/schedules'),
  });
  return (
    <section aria-labelledby="taches-planifiees">
      <h2 id="taches-planifiees">Tâches planifiées</h2>
      <QueryView query={schedules} loadingLabel="Chargement des tâches planifiées…">
        {(data) =>
          data.items.length === 0 ? (
            <EmptyState>Aucune tâche planifiée pour l’instant : elles apparaissent au démarrage.</EmptyState>
          ) : (
            <Table
              caption="Tâches planifiées (heure de Paris)"
              rows={data.items}
              rowKey={(s) => s.name}
              columns={[
                { key: 'name', header: 'Tâche', rowHeader: true, render: (s) => <JobName name={s.name} /> },
                { key: 'cron', header: 'Fréquence', render: (s) => describeCron(s.cron) },
                { key: 'next', header: 'Prochaine exécution', render: (s) => formatDateTime(s.nextRunAt) },
                { key: 'last', header: 'Dernière exécution', render: (s) => formatDateTime(s.lastRunAt) },
              ]}
            />
          )
        }
      </QueryView>
    </section>
  );
}

function useRetryJob() {
  const client = useQueryClient();
  return useMutation({
    meta: { success: 'Travail remis en file.' },
    mutationFn: (id: string) => api.post<Job>(`/api/v1/jobs/${id}/retry`),
    onSuccess: () => client.invalidateQueries({ queryKey: ['jobs'] }),
  });
}

function JobsSection() {
  const search = useSearch({ from: '/operateur/travaux' });
  const navigate = useNavigate();
  const state = (JOB_STATES as readonly string[]).includes(search.etat ?? '')
    ? (search.etat as JobState)
    : undefined;
  const pages = useCursorPages(state ?? '');
  const list = useQuery({
    queryKey: ['jobs', 'list', state, pages.cursor],
    queryFn: () => api.get<Page<Job>>('/api/v1/jobs', { state, cursor: pages.cursor, limit: PAGE_SIZE }),
    placeholderData: keepPreviousData,
  });
  const retry = useRetryJob();
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const value = String(new FormData(event.currentTarget).get('etat') ?? '');
    navigate({ to: '/operateur/travaux', search: value ? { etat: value } : {} });
  };
  return (
    <section aria-labelledby="travaux">
      <h2 id="travaux">Travaux</h2>
      <search aria-label="Filtrer les travaux">
        <form className="filters" onSubmit={submit} key={state ?? ''}>
          <SelectField
            name="etat"
            label="État"
            placeholder="Tous"
            options={optionsOf(JOB_STATE_LABELS, JOB_STATES)}
            defaultValue={state ?? ''}
          />
          <div className="actions row">
            <Button type="submit">Filtrer</Button>
          </div>
        </form>
      </search>
      {retry.isSuccess && (
        <Alert type="success">Le travail est relancé : il sera exécuté dans un instant.</Alert>
      )}
      {retry.isError && (
        <Alert type="error" live title="Relance impossible">
          <p>{errorMessage(retry.error)}</p>
        </Alert>
      )}
      <QueryView query={list} loadingLabel="Chargement des travaux…">
        {(page) =>
          page.items.length === 0 ? (
            <EmptyState>Aucun travail{state ? ' dans cet état' : ''}.</EmptyState>
          ) : (
            <>
              <p aria-live="polite">
                <strong>{formatNumber(page.total)}</strong> {page.total > 1 ? 'travaux' : 'travail'}
              </p>
              <Table
                caption="Travaux, du plus récent au plus ancien"
                rows={page.items}
                rowKey={(j) => j.id}
                columns={[
                  { key: 'created', header: 'Créé le', render: (j) => formatDateTime(j.createdAt) },
                  {
                    key: 'name',
                    header: 'Travail',
                    rowHeader: true,
                    render: (j) => <JobName name={j.name} />,
                  },
                  {
                    key: 'state',
                    header: 'État',
                    render: (j) => <Badge tone={STATE_TONES[j.state]}>{JOB_STATE_LABELS[j.state]}</Badge>,
                  },
                  {
                    key: 'attempts',
                    header: 'Tentatives',
                    numeric: true,
                    render: (j) => `${j.attempts} / ${j.maxAttempts}`,
                  },
                  {
                    key: 'next',
                    header: 'Prochaine exécution',
                    render: (j) => (j.state === 'pending' ? formatDateTime(j.runAt) : '—'),
                  },
                  { key: 'error', header: 'Dernière erreur', render: (j) => j.lastError ?? '—' },
                  {
                    key: 'actions',
                    header: 'Actions',
                    render: (j) =>
                      j.state === 'dead' ? (
                        <Button
                          small
                          variant="secondary"
                          pending={retry.isPending && retry.variables === j.id}
                          onClick={() => retry.mutate(j.id)}
                        >
                          Relancer
                          <span className="sr-only">
                            {' '}
                            le travail « {labelOf(j.name)} » créé le {formatDateTime(j.createdAt)}
                          </span>
                        </Button>
                      ) : (
                        '—'
                      ),
                  },
                ]}
              />
              <Pagination
                label="Pagination des travaux"
                pageIndex={pages.pageIndex}
                pageSize={PAGE_SIZE}
                shown={page.items.length}
                total={page.total}
                nextCursor={page.nextCursor}
                onNext={pages.next}
                onPrevious={pages.previous}
              />
            </>
          )
        }
      </QueryView>
    </section>
  );
}

export function JobsPage() {
  return (
    <>
      <PageTitle title="Travaux en arrière-plan" />
      <p className="lead">
        Les envois de courriels et les tâches planifiées de la plateforme. Un travail qui échoue est réessayé
        automatiquement, à intervalles croissants ; après sa dernière tentative il est abandonné et peut être
        relancé ici.
      </p>
      <SchedulesSection />
      <JobsSection />
    </>
  );
}
