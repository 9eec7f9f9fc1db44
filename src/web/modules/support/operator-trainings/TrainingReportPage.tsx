import { Link } from '@tanstack/react-router';
import { useState } from 'react';
import { MEMBER_KIND_LABELS } from '../../../../contracts/members.js';
import {
  TRAINING_REPORT_PART_LABELS,
  type TrainingReportPart,
} from '../../../../contracts/support-training.js';
import {
  Button,
  EmptyState,
  Form,
  formatDateTime,
  PageTitle,
  QueryView,
  Table,
  TextField,
  today,
} from '../../../ui/index.js';
import { trainingReportExportUrl, useTrainingReport } from '../operator-api.js';
import { SupportTeamNav } from '../operator-nav.js';

const percent = (rate: number) => `${(rate * 100).toLocaleString('fr-FR', { maximumFractionDigits: 1 })} %`;
const kind = (k: string) => MEMBER_KIND_LABELS[k as keyof typeof MEMBER_KIND_LABELS] ?? k;

function Exports({ from, to, part }: { from: string; to: string; part: TrainingReportPart }) {
  const label = TRAINING_REPORT_PART_LABELS[part];
  return (
    <p>
      Télécharger :{' '}
      <a href={trainingReportExportUrl(from, to, part, 'csv')}>
        CSV<span className="sr-only"> — {label}</span>
      </a>
      {' · '}
      <a href={trainingReportExportUrl(from, to, part, 'xlsx')}>
        XLSX<span className="sr-only"> — {label}</span>
      </a>
    </p>
  );
}

/** The training reports: who was trained where, how full the sessions were, where people still wait. */
export function TrainingReportPage() {
  const year = today().slice(0, 4);
  const [period, setPeriod] = useState({ from: `${year}-01-01`, to: `${year}-12-31` });
  const report = useTrainingReport(period.from, period.to);
  return (
    <>
      <PageTitle title="Bilan des formations" />
      <SupportTeamNav />
      <p>
        <Link to="/operateur/formations">Toutes les sessions</Link>
      </p>
      <Form
        id="periode"
        error={report.error}
        aria-label="Période du bilan"
        onSubmit={(data) =>
          setPeriod({ from: String(data.get('from') ?? ''), to: String(data.get('to') ?? '') })
        }
      >
        <div className="filters">
          <TextField name="from" type="date" label="Du" required defaultValue={period.from} />
          <TextField name="to" type="date" label="Au" required defaultValue={period.to} />
        </div>
        <div className="form-actions">
          <Button type="submit" variant="secondary">
            Afficher le bilan
          </Button>
        </div>
      </Form>
      <QueryView query={report} loadingLabel="Calcul du bilan…">
        {(r) => (
          <>
            <section aria-labelledby="bilan-territoires">
              <h2 id="bilan-territoires">{TRAINING_REPORT_PART_LABELS.territories}</h2>
              {r.territories.length === 0 ? (
                <EmptyState>Aucune présence enregistrée sur la période.</EmptyState>
              ) : (
                <>
                  <Table
                    caption="Personnes et structures formées (présences enregistrées)"
                    rows={r.territories}
                    rowKey={(t) => `${t.departementCode}-${t.memberKind}`}
                    columns={[
                      {
                        key: 'dep',
                        header: 'Département',
                        rowHeader: true,
                        render: (t) => t.departementCode ?? 'Non renseigné',
                      },
                      { key: 'kind', header: 'Type de structure', render: (t) => kind(t.memberKind) },
                      { key: 'people', header: 'Personnes formées', render: (t) => t.people },
                      { key: 'members', header: 'Structures', render: (t) => t.members },
                    ]}
                  />
                  <Exports from={r.from} to={r.to} part="territories" />
                </>
              )}
            </section>
            <section aria-labelledby="bilan-sessions">
              <h2 id="bilan-sessions">{TRAINING_REPORT_PART_LABELS.sessions}</h2>
              {r.sessions.length === 0 ? (
                <EmptyState>Aucune session sur la période.</EmptyState>
              ) : (
                <>
                  <Table
                    caption="Remplissage et présence par session"
                    rows={r.sessions}
                    rowKey={(s) => s.id}
                    columns={[
                      {
                        key: 'title',
                        header: 'Session',
                        rowHeader: true,
                        render: (s) => (
                          <Link to="/operateur/formations/$sessionId" params={{ sessionId: s.id }}>
                            {s.title}, {formatDateTime(s.startsAt)}
                          </Link>
                        ),
                      },
                      {
                        key: 'dep',
                        header: 'Département',
                        render: (s) => (s.remote ? 'À distance' : (s.departementCode ?? '—')),
                      },
                      {
                        key: 'fill',
                        header: 'Remplissage',
                        render: (s) => `${s.confirmed} / ${s.capacity} (${percent(s.fillRate)})`,
                      },
                      { key: 'waiting', header: 'Liste d’attente', render: (s) => s.waitlisted },
                      { key: 'attended', header: 'Présents', render: (s) => s.attended ?? 'Non saisis' },
                      {
                        key: 'mark',
                        header: 'Note moyenne',
                        render: (s) =>
                          s.overallAverage === null
                            ? '—'
                            : `${s.overallAverage.toLocaleString('fr-FR')} sur 5 (${s.surveyAnswers} avis)`,
                      },
                    ]}
                  />
                  <Exports from={r.from} to={r.to} part="sessions" />
                </>
              )}
            </section>
            <section aria-labelledby="bilan-attente">
              <h2 id="bilan-attente">{TRAINING_REPORT_PART_LABELS.waiting}</h2>
              <p>
                Les personnes restées en liste d’attente, par formation et département de leur structure : là
                où une nouvelle session se remplirait.
              </p>
              {r.waitingLists.length === 0 ? (
                <EmptyState>Personne en liste d’attente sur la période.</EmptyState>
              ) : (
                <>
                  <Table
                    caption="Listes d’attente par formation et département"
                    rows={r.waitingLists}
                    rowKey={(w) => `${w.title}-${w.departementCode}`}
                    columns={[
                      { key: 'title', header: 'Formation', rowHeader: true, render: (w) => w.title },
                      {
                        key: 'dep',
                        header: 'Département des structures',
                        render: (w) => w.departementCode ?? 'Non renseigné',
                      },
                      { key: 'waiting', header: 'Personnes en attente', render: (w) => w.waitlisted },
                      { key: 'members', header: 'Structures', render: (w) => w.members },
                      { key: 'sessions', header: 'Sessions', render: (w) => w.sessions },
                    ]}
                  />
                  <Exports from={r.from} to={r.to} part="waiting" />
                </>
              )}
            </section>
          </>
        )}
      </QueryView>
    </>
  );
}
