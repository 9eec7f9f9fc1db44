import { Link } from '@tanstack/react-router';
import type { ActDetail } from '../../../../contracts/acts.js';
import { Alert, Badge, formatDate, formatDateTime, formatNumber, today } from '../../../ui/index.js';
import { deliberationsListUrl, publicActDocumentUrl } from '../api.js';
import { ActStatusBadge, Executory, Fact, natureLabel, Sha256 } from '../components.js';

/**
 * Where the act stands: its status (announced when it changes, the page refreshes it while the act is
 * being transmitted), the prefecture's identifier and dates, the legal deadlines and its publication.
 */
export function ActSituation({ act }: { act: ActDetail }) {
  const late =
    act.transmissionDueOn &&
    !act.transmittedAt &&
    act.status !== 'cancelled' &&
    act.transmissionDueOn < today();
  return (
    <section aria-labelledby="situation-titre">
      <h2 id="situation-titre">Transmission et publication</h2>
      <div className="acts-status" role="status" aria-live="polite">
        <span>Statut :</span> <ActStatusBadge status={act.status} />
        {act.status === 'transmitting' && (
          <span className="muted">En attente de l'accusé de réception de la préfecture…</span>
        )}
      </div>
      {act.status === 'error' && (
        <Alert type="error" title="La transmission a échoué">
          <p>{act.errorMessage ?? 'Le tiers de télétransmission a refusé l’acte sans donner de motif.'}</p>
          <p>Corrigez l'acte si nécessaire, marquez-le à nouveau prêt puis transmettez-le.</p>
        </Alert>
      )}
      {late && (
        <Alert type="warning" title="Délai de transmission dépassé">
          <p>
            Cet acte individuel devait être transmis avant le {formatDate(act.transmissionDueOn)} (15 jours
            après sa signature).
          </p>
        </Alert>
      )}
      <dl className="dl">
        <dt>Caractère exécutoire</dt>
        <dd>
          <Executory act={act} />
        </dd>
        <dt>Contrôle de légalité</dt>
        <dd>
          {act.transmissionRequired ? 'Acte à transmettre à la préfecture' : 'Acte non soumis à transmission'}
        </dd>
        <Fact term="À transmettre avant le">
          {act.transmissionDueOn && formatDate(act.transmissionDueOn)}
        </Fact>
        <Fact term="Transmis le">{act.transmittedAt && formatDateTime(act.transmittedAt)}</Fact>
        <Fact term="Identifiant de la préfecture">
          {act.prefectureId && <code className="acts-hash">{act.prefectureId}</code>}
        </Fact>
        <Fact term="Accusé de réception le">{act.acknowledgedAt && formatDateTime(act.acknowledgedAt)}</Fact>
        <Fact term="Fin du contrôle de légalité">
          {act.legalityCheckEndsOn &&
            `${formatDate(act.legalityCheckEndsOn)} (deux mois après l'accusé de réception : le préfet peut déférer l'acte au tribunal administratif jusqu'à cette date)`}
        </Fact>
        <dt>Publication</dt>
        <dd>
          {act.publishedAt ? (
            <>
              Publié le {formatDateTime(act.publishedAt)} —{' '}
              <a href={publicActDocumentUrl(act.memberId, act.id)}>
                Télécharger l'acte publié (PDF avec la mention de publication)
              </a>
            </>
          ) : (
            'Non publié'
          )}
        </dd>
        <Fact term="Empreinte SHA-256 du PDF publié">{act.sha256 && <Sha256 value={act.sha256} />}</Fact>
      </dl>
    </section>
  );
}

const VOTE_LABELS = [
  ['votesMembers', 'membres en exercice'],
  ['votesPresent', 'présents ou représentés'],
  ['votesFor', 'pour'],
  ['votesAgainst', 'contre'],
  ['votesAbstention', 'abstentions'],
] as const;

/** The act's own fields, as recorded in the register. */
export function ActDetails({ act }: { act: ActDetail }) {
  const votes = VOTE_LABELS.filter(([key]) => act[key] !== null).map(
    ([key, label]) => `${formatNumber(act[key])} ${label}`,
  );
  return (
    <dl className="dl">
      <dt>Nature</dt>
      <dd>
        {natureLabel(act.nature)} ({act.nature})
      </dd>
      <dt>Matière</dt>
      <dd>
        {act.classification}
        {act.classificationLabel && ` — ${act.classificationLabel}`}
      </dd>
      <dt>Numéro</dt>
      <dd>{act.number}</dd>
      <dt>Date de la décision</dt>
      <dd>{formatDate(act.decidedOn)}</dd>
      <Fact term="Signataire">{act.signatoryName}</Fact>
      <Fact term="Date de signature">{act.signedOn && formatDate(act.signedOn)}</Fact>
      <Fact term="Date de notification">{act.notifiedOn && formatDate(act.notifiedOn)}</Fact>
      <Fact term="Séance du conseil">
        {act.sessionOn && (
          <>
            {formatDate(act.sessionOn)} —{' '}
            <a href={deliberationsListUrl(act.memberId, act.sessionOn)}>
              liste des délibérations de la séance (PDF)
            </a>
          </>
        )}
      </Fact>
      <Fact term="Votes">{votes.length > 0 && votes.join(', ')}</Fact>
      <Fact term="Rectifie l'acte">
        {act.correctsActId && (
          <Link to="/espace/actes/$actId" params={{ actId: act.correctsActId }}>
            Voir l'acte rectifié
          </Link>
        )}
      </Fact>
      <Fact term="Rectifié par">
        {act.correctedByActId && (
          <>
            <Badge tone="warning">Acte rectifié</Badge>{' '}
            <Link to="/espace/actes/$actId" params={{ actId: act.correctedByActId }}>
              Voir l'acte rectificatif
            </Link>
          </>
        )}
      </Fact>
    </dl>
  );
}
