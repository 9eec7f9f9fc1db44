import { useSearch } from '@tanstack/react-router';
import { useEffect, useRef } from 'react';
import { SEAT_KIND_LABELS } from '../../../contracts/governance.js';
import { errorMessage } from '../../app/api.js';
import { Alert, Button, formatDateTime, PageTitle, QueryView } from '../../ui/index.js';
import {
  linkedDocumentUrl,
  type PublicConvocation,
  useConvocationAnswer,
  usePublicConvocation,
} from './api.js';
import { Fact } from './components.js';
import './governance.css';
import { ItemDocumentList } from './session/ItemDocuments.js';

/**
 * The page an official's personal link opens (`/convocation?jeton=…`), without signing in: the
 * convocation and its agenda; opening it is recorded, and the official acknowledges receipt or says
 * they cannot attend (their substitute is then convened).
 */
export function ConvocationPage() {
  const { jeton = '' } = useSearch({ strict: false }) as { jeton?: string };
  const convocation = usePublicConvocation(jeton);
  return (
    <>
      <PageTitle title="Convocation" />
      {!jeton ? (
        <Alert type="error" title="Lien incomplet">
          <p>Ouvrez le lien reçu par courriel en entier, ou copiez-le dans la barre d'adresse.</p>
        </Alert>
      ) : (
        <QueryView query={convocation} loadingLabel="Chargement de la convocation…">
          {(c) => <ConvocationView token={jeton} convocation={c} />}
        </QueryView>
      )}
    </>
  );
}

function ConvocationView({ token, convocation: c }: { token: string; convocation: PublicConvocation }) {
  const receipt = useConvocationAnswer(token, 'receipt');
  const unavailable = useConvocationAnswer(token, 'unavailability');
  const outcome = useRef<HTMLDivElement>(null);
  const answered = receipt.isSuccess || unavailable.isSuccess;
  useEffect(() => {
    if (answered) outcome.current?.focus();
  }, [answered]);
  return (
    <>
      <p className="lead">
        {c.fullName}, vous êtes convoqué{c.seatKind === 'substitute' ? ' en tant que suppléant' : ''} à la
        séance
        {c.urgent ? ' urgente' : ''} de l'assemblée « {c.assemblyName} » ({c.organisationName}).
      </p>
      <dl className="dl">
        <Fact term="Date et heure">{formatDateTime(c.startsAt)}</Fact>
        <Fact term="Lieu">{c.remote ? `${c.place} — séance à distance` : c.place}</Fact>
        <Fact term="Siège">{SEAT_KIND_LABELS[c.seatKind]}</Fact>
        <Fact term="Convocation ouverte le">{formatDateTime(c.openedAt)}</Fact>
        <Fact term="Réception confirmée le">{c.receivedAt ? formatDateTime(c.receivedAt) : null}</Fact>
        <Fact term="Empêchement signalé le">{c.unavailableAt ? formatDateTime(c.unavailableAt) : null}</Fact>
      </dl>
      <div ref={outcome} tabIndex={-1}>
        {receipt.isSuccess && (
          <Alert type="success" live>
            <p>Réception de la convocation confirmée. Merci.</p>
          </Alert>
        )}
        {unavailable.isSuccess && (
          <Alert type="success" live>
            <p>Votre empêchement est enregistré : votre suppléant est convoqué à votre place.</p>
          </Alert>
        )}
        {(receipt.isError || unavailable.isError) && (
          <Alert type="error" title="Action impossible" live>
            <p>{errorMessage(receipt.error ?? unavailable.error)}</p>
          </Alert>
        )}
      </div>
      <div className="gov-actions">
        {!c.receivedAt && (
          <Button pending={receipt.isPending} onClick={() => receipt.mutate()}>
            Confirmer la réception
          </Button>
        )}
        {c.canDeclareUnavailable && !c.unavailableAt && (
          <Button variant="secondary" pending={unavailable.isPending} onClick={() => unavailable.mutate()}>
            Je ne pourrai pas siéger
          </Button>
        )}
      </div>
      <section aria-labelledby="odj-titre">
        <h2 id="odj-titre">Ordre du jour</h2>
        <ol className="gov-agenda">
          {c.agenda.map((item) => (
            <li key={item.position}>
              <h3>{item.title}</h3>
              {item.explanatoryNote && <p className="gov-note">{item.explanatoryNote}</p>}
              <ItemDocumentList
                documents={item.documents}
                itemTitle={item.title}
                href={(documentId) => linkedDocumentUrl(token, documentId)}
              />
            </li>
          ))}
        </ol>
      </section>
    </>
  );
}
