import { Link } from '@tanstack/react-router';
import { Alert, announce, Button, Form, formatDateTime } from '../../../ui/index.js';
import { type SessionDetail, useCloseSession, usePublishDeliberations } from '../api.js';
import { SessionLink } from '../components.js';

/**
 * Closing the sitting (those who manage the assembly, once it has begun), and what closing left: the
 * second convocation prepared when the quorum was not reached, linked to be convened.
 */
export function CloseSection({ session: s }: { session: SessionDetail }) {
  const close = useCloseSession(s.id);
  const begun = new Date(s.startsAt).getTime() <= Date.now();
  if (s.status === 'closed') {
    return (
      <section aria-labelledby="cloture-titre">
        <h2 id="cloture-titre">Clôture</h2>
        <p>{s.closedAt ? `Séance close le ${formatDateTime(s.closedAt)}.` : 'Séance close.'}</p>
        {s.deliberationsPublishedAt ? (
          <p>
            Liste des délibérations publiée le {formatDateTime(s.deliberationsPublishedAt)} :{' '}
            <Link
              to="/organisations/$organisationId/deliberations"
              params={{ organisationId: s.organisationId }}
            >
              page publique des délibérations
            </Link>
            .
          </p>
        ) : (
          s.canManage && <PublishDeliberations session={s} />
        )}
        {s.reconvenedAs && (
          <Alert type="info" title="Seconde convocation préparée">
            <p>
              Le quorum n'ayant pas été atteint, l'assemblée est à nouveau convoquée le{' '}
              {formatDateTime(s.reconvenedAs.startsAt)}, sur le même ordre du jour et sans condition de
              quorum. <SessionLink sessionId={s.reconvenedAs.id}>Voir la seconde convocation</SessionLink>
            </p>
          </Alert>
        )}
      </section>
    );
  }
  if (!s.canManage || s.status === 'planned' || !begun) return null;
  return (
    <section aria-labelledby="cloture-titre">
      <h2 id="cloture-titre">Clôture</h2>
      <p>
        {s.quorum.reached
          ? 'Une fois les points votés, closez la séance : les présences ne se modifient plus.'
          : 'Le quorum n’est pas atteint : closez la séance, et une seconde convocation est préparée, au moins trois jours plus tard, sur le même ordre du jour et sans condition de quorum.'}
      </p>
      <Form
        id="cloture"
        aria-label="Clore la séance"
        error={close.error}
        onSubmit={() =>
          close.mutate(undefined, {
            onSuccess: (closed) =>
              announce(
                closed.secondConvocation
                  ? `Séance close. Seconde convocation préparée pour le ${formatDateTime(closed.secondConvocation.startsAt)}.`
                  : 'Séance close.',
              ),
          })
        }
      >
        <Button type="submit" variant="secondary" pending={close.isPending}>
          Clore la séance
        </Button>
      </Form>
    </section>
  );
}

/** Publishing the list of the session's deliberations (within the week after the sitting). */
function PublishDeliberations({ session: s }: { session: SessionDetail }) {
  const publish = usePublishDeliberations(s.id);
  return (
    <Form
      id="publication-deliberations"
      aria-label="Publier la liste des délibérations"
      error={publish.error}
      onSubmit={() =>
        publish.mutate(undefined, { onSuccess: () => announce('Liste des délibérations publiée.') })
      }
    >
      <p>
        La liste des délibérations se publie dans la semaine qui suit la séance : elle paraît sur la page
        publique des délibérations de l’organisation, avec le résultat de chaque vote.
      </p>
      <Button type="submit" pending={publish.isPending}>
        Publier la liste des délibérations
      </Button>
    </Form>
  );
}
