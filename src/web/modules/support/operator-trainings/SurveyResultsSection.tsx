import {
  OVERALL_LABELS,
  USEFULNESS_LABELS,
  USEFULNESS_LEVELS,
} from '../../../../contracts/support-training.js';
import { formatDate, QueryView, Table } from '../../../ui/index.js';
import { useSurveyResults } from '../operator-api.js';

const average = (value: number | null) =>
  value === null ? '—' : `${value.toLocaleString('fr-FR', { maximumFractionDigits: 2 })} sur 5`;

/** The satisfaction survey's answers for the session, without names. */
export function SurveyResultsSection({ sessionId }: { sessionId: string }) {
  const results = useSurveyResults(sessionId);
  return (
    <section aria-labelledby="avis-titre">
      <h2 id="avis-titre">Questionnaire de satisfaction</h2>
      <QueryView query={results} loadingLabel="Chargement des réponses…">
        {(r) =>
          r.invited === 0 ? (
            <p>Le questionnaire part aux personnes présentes dès la saisie des présences.</p>
          ) : (
            <>
              <p>
                {r.answered} réponse{r.answered > 1 ? 's' : ''} sur {r.invited} personne
                {r.invited > 1 ? 's' : ''} interrogée{r.invited > 1 ? 's' : ''} ; note moyenne :{' '}
                {average(r.overallAverage)}.
              </p>
              {r.answered > 0 && (
                <>
                  <Table
                    caption="Note globale"
                    rows={[5, 4, 3, 2, 1]}
                    rowKey={(mark) => String(mark)}
                    columns={[
                      {
                        key: 'mark',
                        header: 'Note',
                        rowHeader: true,
                        render: (mark) => OVERALL_LABELS[mark],
                      },
                      { key: 'count', header: 'Réponses', render: (mark) => r.overallCounts[mark - 1] ?? 0 },
                    ]}
                  />
                  <Table
                    caption="Utilité pour le travail"
                    rows={[...USEFULNESS_LEVELS]}
                    rowKey={(u) => u}
                    columns={[
                      {
                        key: 'level',
                        header: 'Réponse',
                        rowHeader: true,
                        render: (u) => USEFULNESS_LABELS[u],
                      },
                      { key: 'count', header: 'Réponses', render: (u) => r.usefulnessCounts[u] ?? 0 },
                    ]}
                  />
                  {r.comments.length > 0 && (
                    <>
                      <h3>Commentaires</h3>
                      <ul className="support-thread">
                        {r.comments.map((c) => (
                          <li key={`${c.answeredAt}-${c.comment.slice(0, 20)}`} className="support-message">
                            <p className="support-message__meta">
                              Note {c.overall} sur 5, le {formatDate(c.answeredAt)}
                            </p>
                            <p className="support-message__body">{c.comment}</p>
                          </li>
                        ))}
                      </ul>
                    </>
                  )}
                </>
              )}
            </>
          )
        }
      </QueryView>
    </section>
  );
}
