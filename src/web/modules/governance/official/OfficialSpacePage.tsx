import { Link } from '@tanstack/react-router';
import { SEAT_KIND_LABELS } from '../../../../contracts/governance.js';
import { useAuth } from '../../../app/auth.js';
import { EmptyState, formatDate, formatDateTime, PageTitle, QueryView } from '../../../ui/index.js';
import { type OfficialSpace, useOfficialSpace } from '../api.js';
import {
  AssemblyLink,
  assemblyKindLabel,
  DeliberationLink,
  ItemStatusBadge,
  SessionLink,
} from '../components.js';

type Upcoming = OfficialSpace['upcoming'][number];

function convocationState(session: Upcoming): string {
  const c = session.convocation;
  if (!c?.sentAt) return `Convocation à venir (au plus tard le ${formatDate(session.convocationDueBy)})`;
  if (c.receivedAt) return `Convocation reçue le ${formatDateTime(c.receivedAt)}`;
  if (c.openedAt) return `Convocation ouverte le ${formatDateTime(c.openedAt)}`;
  return `Convocation envoyée le ${formatDateTime(c.sentAt)}`;
}

/**
 * The elected official's own space, readable on a phone: their seats, the next sessions with their
 * convocation and documents, the past deliberations, and the operator at a glance for the comité.
 */
export function OfficialSpacePage() {
  const auth = useAuth();
  const space = useOfficialSpace();
  return (
    <>
      <PageTitle title="Espace élu" />
      <p className="lead">
        {auth.me?.user.displayName ? `${auth.me.user.displayName}, voici` : 'Voici'} vos mandats, vos
        prochaines séances et les délibérations des assemblées où vous siégez.
      </p>
      <QueryView query={space} loadingLabel="Chargement de votre espace…">
        {(data) =>
          data.seats.length === 0 ? (
            <EmptyState>
              <p>Votre compte ne siège dans aucune assemblée gérée sur la plateforme.</p>
            </EmptyState>
          ) : (
            <>
              <SeatsPart data={data} />
              <UpcomingPart data={data} />
              <DeliberationsPart data={data} />
            </>
          )
        }
      </QueryView>
    </>
  );
}

function SeatsPart({ data }: { data: OfficialSpace }) {
  const operator = data.seats.some((s) => s.operatorAssembly);
  return (
    <section aria-labelledby="mandats-titre">
      <h2 id="mandats-titre">Mes mandats</h2>
      <ul className="gov-cards">
        {data.seats.map((s) => (
          <li key={s.seatId}>
            <h3>
              <AssemblyLink assemblyId={s.assemblyId}>{s.assemblyName}</AssemblyLink>
            </h3>
            <p>
              {assemblyKindLabel(s.assemblyKind)} — {s.organisationName}
              <br />
              {SEAT_KIND_LABELS[s.kind]}
              {s.isChair ? ', président' : ''}
              {s.collegeName ? ` — ${s.collegeName}` : ''}
            </p>
          </li>
        ))}
      </ul>
      {operator && (
        <p>
          <Link to="/espace/elu/syndicat">
            Le syndicat en une page : adhérents, services, budget et répartition des coûts
          </Link>
        </p>
      )}
    </section>
  );
}

function UpcomingPart({ data }: { data: OfficialSpace }) {
  return (
    <section aria-labelledby="prochaines-titre">
      <h2 id="prochaines-titre">Prochaines séances</h2>
      {data.upcoming.length === 0 ? (
        <p>Aucune séance n'est prévue pour le moment.</p>
      ) : (
        <ul className="gov-cards">
          {data.upcoming.map((s) => (
            <li key={s.id}>
              <h3>
                <SessionLink sessionId={s.id}>
                  {s.assemblyName} : {formatDateTime(s.startsAt)}
                </SessionLink>
              </h3>
              <p>
                {s.remote ? `${s.place} (à distance)` : s.place}
                {s.urgent ? ' — séance urgente' : ''}
                <br />
                Ordre du jour : {s.itemCount} point{s.itemCount > 1 ? 's' : ''}
                <br />
                {convocationState(s)}
              </p>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

function DeliberationsPart({ data }: { data: OfficialSpace }) {
  return (
    <section aria-labelledby="deliberations-titre">
      <h2 id="deliberations-titre">Délibérations passées</h2>
      {data.deliberations.length === 0 ? (
        <p>Aucune délibération pour le moment.</p>
      ) : (
        <ul className="gov-cards">
          {data.deliberations.map((d) => {
            const organisationId = data.seats.find((s) => s.assemblyName === d.assemblyName)?.organisationId;
            return (
              <li key={d.itemId}>
                <h3>{d.title}</h3>
                <p>
                  <ItemStatusBadge status={d.status} /> {d.assemblyName}, séance du{' '}
                  <SessionLink sessionId={d.sessionId}>{formatDate(d.sessionStartsAt)}</SessionLink>
                  {d.actId && d.actNumber && organisationId && (
                    <>
                      <br />
                      <DeliberationLink
                        organisationId={organisationId}
                        act={{ id: d.actId, number: d.actNumber, publishedAt: d.publishedAt }}
                      />
                      {d.publishedAt ? `, publiée le ${formatDate(d.publishedAt)}` : ''}
                    </>
                  )}
                </p>
              </li>
            );
          })}
        </ul>
      )}
    </section>
  );
}
