import { useParams } from '@tanstack/react-router';
import { LEGAL_BASIS_LABELS, RECIPIENT_TYPE_LABELS } from '../../../contracts/rgpd.js';
import { EmptyState, PageTitle, QueryView } from '../../ui/index.js';
import { kindLabel } from '../members/components.js';
import { usePublicRegistry } from './api.js';
import { listText } from './components.js';
import { formatFieldValue } from './labels.js';

/** What a member chose to publish of its registry: no agent's personal data ever appears here. */
export function PublicRegistryPage() {
  const { memberId } = useParams({ from: '/adherents/$memberId/registre' });
  const registry = usePublicRegistry(memberId);
  const name = registry.data?.member.name;
  return (
    <>
      <PageTitle title={name ? `Registre des traitements : ${name}` : 'Registre des traitements'} />
      <QueryView query={registry} loadingLabel="Chargement du registre…">
        {(r) => (
          <>
            <p className="lead">
              {kindLabel(r.member.kind)} — traitements de données personnelles publiés par la structure
              (article 30 du RGPD).
            </p>
            {r.processings.length === 0 ? (
              <EmptyState>Cette structure n'a publié aucun traitement.</EmptyState>
            ) : (
              r.processings.map((p) => (
                <section key={p.id} className="card rgpd-public" aria-labelledby={`t-${p.id}`}>
                  <h2 id={`t-${p.id}`}>{p.name}</h2>
                  <dl className="dl">
                    <dt>Finalités</dt>
                    <dd>{p.purposes || '—'}</dd>
                    <dt>Base légale</dt>
                    <dd>{p.legalBasis ? LEGAL_BASIS_LABELS[p.legalBasis] : '—'}</dd>
                    <dt>Personnes concernées</dt>
                    <dd>{listText(p.dataSubjects)}</dd>
                    <dt>Catégories de données</dt>
                    <dd>{listText(p.dataCategories)}</dd>
                    <dt>Destinataires</dt>
                    <dd>
                      {listText(
                        p.recipients.map((x) => `${x.name} (${RECIPIENT_TYPE_LABELS[x.type].toLowerCase()})`),
                      )}
                    </dd>
                    <dt>Transferts hors UE</dt>
                    <dd>{p.transfers.length ? formatFieldValue('transfers', p.transfers) : 'Aucun'}</dd>
                    <dt>Durées de conservation</dt>
                    <dd>{formatFieldValue('retention', p.retention)}</dd>
                    <dt>Sous-traitants</dt>
                    <dd>{listText(p.processors)}</dd>
                  </dl>
                </section>
              ))
            )}
          </>
        )}
      </QueryView>
    </>
  );
}
