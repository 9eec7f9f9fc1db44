import { MINUTES_STATE_LABELS } from '../../../../contracts/governance.js';
import { announce, Badge, Button, Form, formatDate, formatDateTime } from '../../../ui/index.js';
import {
  adoptedMinutesPdfUrl,
  minutesPdfUrl,
  publicMinutesPdfUrl,
  type SessionDetail,
  usePublishMinutes,
} from '../api.js';
import { SessionLink } from '../components.js';

/**
 * The closed session's procès-verbal: drafted from the record (its managers download the draft and
 * put « Adopter le procès-verbal d'une séance » on a later session's agenda), adopted by that vote
 * (the PDF as adopted, frozen, for every reader of the session), then published by its managers.
 */
export function MinutesSection({ session: s }: { session: SessionDetail }) {
  const minutes = s.minutes;
  if (s.status !== 'closed' || !minutes) return null;
  return (
    <section aria-labelledby="proces-verbal-titre">
      <h2 id="proces-verbal-titre">Procès-verbal</h2>
      <p>
        État :{' '}
        <Badge tone={minutes.state === 'draft' ? 'default' : 'success'}>
          {MINUTES_STATE_LABELS[minutes.state]}
        </Badge>
      </p>
      {minutes.state === 'draft' ? (
        s.canManage ? (
          <p>
            <a href={minutesPdfUrl(s.id)} download="proces-verbal-projet.pdf">
              Projet de procès-verbal (PDF)
            </a>{' '}
            : rédigé à partir du registre de la séance. Pour le faire adopter, inscrivez le point « Adopter le
            procès-verbal d'une séance » à l'ordre du jour d'une séance suivante de l'assemblée.
          </p>
        ) : (
          <p>Le procès-verbal sera soumis à l'adoption d'une séance suivante de l'assemblée.</p>
        )
      ) : (
        <>
          {minutes.adoptedBy && (
            <p>
              Adopté le {formatDateTime(minutes.adoptedAt ?? minutes.adoptedBy.startsAt)} lors de la{' '}
              <SessionLink sessionId={minutes.adoptedBy.sessionId}>
                séance du {formatDate(minutes.adoptedBy.startsAt)}
              </SessionLink>
              {minutes.adoptedBy.deliberationNumber
                ? ` (délibération n° ${minutes.adoptedBy.deliberationNumber})`
                : ''}
              .
            </p>
          )}
          <p>
            <a href={adoptedMinutesPdfUrl(s.id)} download="proces-verbal.pdf">
              Procès-verbal adopté (PDF)
            </a>{' '}
            — son contenu est figé depuis l'adoption (empreinte SHA-256 :{' '}
            <code className="gov-hash">{minutes.sha256}</code>).
          </p>
          {minutes.publishedAt ? (
            <p>
              Publié le {formatDateTime(minutes.publishedAt)} :{' '}
              <a href={publicMinutesPdfUrl(s.organisationId, s.id)}>lien public du procès-verbal (PDF)</a>.
            </p>
          ) : (
            s.canManage && <PublishMinutes session={s} />
          )}
        </>
      )}
    </section>
  );
}

/** Publishing the adopted procès-verbal (after the list of deliberations): anyone may read it then. */
function PublishMinutes({ session: s }: { session: SessionDetail }) {
  const publish = usePublishMinutes(s.id);
  if (!s.deliberationsPublishedAt) {
    return (
      <p>Publiez d'abord la liste des délibérations de la séance : le procès-verbal paraît avec elle.</p>
    );
  }
  return (
    <Form
      id="publication-proces-verbal"
      aria-label="Publier le procès-verbal"
      error={publish.error}
      onSubmit={() => publish.mutate(undefined, { onSuccess: () => announce('Procès-verbal publié.') })}
    >
      <p>Une fois publié, le procès-verbal adopté est lisible par tous, avec la liste des délibérations.</p>
      <Button type="submit" pending={publish.isPending}>
        Publier le procès-verbal
      </Button>
    </Form>
  );
}
