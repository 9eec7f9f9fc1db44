import { sql } from 'drizzle-orm';
import { MEMBER_KIND_LABELS } from '../../../contracts/members.js';
import type {
  TrainingReport,
  TrainingReportPart,
  TrainingReportQuery,
} from '../../../contracts/support-training.js';
import { type Executor, rowsOf } from '../../platform/db/client.js';
import type { Sheet } from '../../platform/export/spreadsheet.js';

/**
 * The training reports of the support team (issue 14, §3): over the sessions that started in a period
 * (Paris days, bounds included), the people and members trained (attendance recorded present) per
 * département and kind of member, every session's fill rate, and the waiting lists per training and
 * département of the members waiting — where a new session would fill. Three grouped queries.
 */
export async function trainingReport(db: Executor, query: TrainingReportQuery): Promise<TrainingReport> {
  const inPeriod = sql`s.starts_at >= (${query.from}::date)::timestamp AT TIME ZONE 'Europe/Paris'
    AND s.starts_at < ((${query.to}::date + 1))::timestamp AT TIME ZONE 'Europe/Paris'`;
  const territories = rowsOf<{
    departement_code: string | null;
    kind: string;
    people: number;
    members: number;
  }>(
    await db.execute(sql`SELECT o.departement_code, o.kind,
        count(DISTINCT r.email)::int AS people, count(DISTINCT r.member_id)::int AS members
      FROM training_registrations r
      JOIN training_sessions s ON s.id = r.session_id
      JOIN organisations o ON o.id = r.member_id
      WHERE r.status = 'confirmed' AND r.attended AND ${inPeriod}
      GROUP BY o.departement_code, o.kind
      ORDER BY o.departement_code NULLS LAST, o.kind`),
  );
  const sessions = rowsOf<{
    id: string;
    title: string;
    starts_at: Date | string;
    departement_code: string | null;
    remote: boolean;
    capacity: number;
    recorded: boolean;
    confirmed: number;
    waitlisted: number;
    attended: number;
    answers: number;
    average: string | number | null;
  }>(
    await db.execute(sql`SELECT s.id, s.title, s.starts_at, s.departement_code, s.remote, s.capacity,
        s.attendance_recorded_at IS NOT NULL AS recorded,
        count(r.id) FILTER (WHERE r.status = 'confirmed')::int AS confirmed,
        count(r.id) FILTER (WHERE r.status = 'waitlisted')::int AS waitlisted,
        count(r.id) FILTER (WHERE r.status = 'confirmed' AND r.attended)::int AS attended,
        (SELECT count(*) FROM training_surveys v WHERE v.session_id = s.id AND v.answered_at IS NOT NULL)::int AS answers,
        (SELECT round(avg(v.overall), 2) FROM training_surveys v WHERE v.session_id = s.id AND v.answered_at IS NOT NULL) AS average
      FROM training_sessions s
      LEFT JOIN training_registrations r ON r.session_id = s.id
      WHERE ${inPeriod}
      GROUP BY s.id
      ORDER BY s.starts_at, s.id`),
  );
  const waiting = rowsOf<{
    title: string;
    departement_code: string | null;
    waitlisted: number;
    members: number;
    sessions: number;
  }>(
    await db.execute(sql`SELECT s.title, o.departement_code, count(*)::int AS waitlisted,
        count(DISTINCT r.member_id)::int AS members, count(DISTINCT s.id)::int AS sessions
      FROM training_registrations r
      JOIN training_sessions s ON s.id = r.session_id
      JOIN organisations o ON o.id = r.member_id
      WHERE r.status = 'waitlisted' AND ${inPeriod}
      GROUP BY s.title, o.departement_code
      ORDER BY count(*) DESC, s.title, o.departement_code NULLS LAST`),
  );
  return {
    from: query.from,
    to: query.to,
    territories: territories.map((t) => ({
      departementCode: t.departement_code,
      memberKind: t.kind,
      people: Number(t.people),
      members: Number(t.members),
    })),
    sessions: sessions.map((s) => ({
      id: s.id,
      title: s.title,
      startsAt: new Date(s.starts_at).toISOString(),
      departementCode: s.departement_code,
      remote: s.remote,
      capacity: Number(s.capacity),
      confirmed: Number(s.confirmed),
      waitlisted: Number(s.waitlisted),
      attended: s.recorded ? Number(s.attended) : null,
      fillRate: Math.round((Number(s.confirmed) / Number(s.capacity)) * 1000) / 1000,
      surveyAnswers: Number(s.answers),
      overallAverage: s.average === null ? null : Number(s.average),
    })),
    waitingLists: waiting.map((w) => ({
      title: w.title,
      departementCode: w.departement_code,
      waitlisted: Number(w.waitlisted),
      members: Number(w.members),
      sessions: Number(w.sessions),
    })),
  };
}

const kindLabel = (kind: string) => MEMBER_KIND_LABELS[kind as keyof typeof MEMBER_KIND_LABELS] ?? kind;

/** One part of the report as a spreadsheet (CSV or XLSX through platform/export/spreadsheet.ts). */
export function reportSheet(
  report: TrainingReport,
  part: TrainingReportPart,
): { sheet: Sheet<Record<string, unknown>>; rows: Record<string, unknown>[] } {
  type Row = Record<string, unknown>;
  const v = (key: string) => (row: Row) => row[key] as string | number | null;
  if (part === 'territories') {
    return {
      sheet: {
        name: 'Personnes formées',
        columns: [
          {
            header: 'Département',
            width: 12,
            value: (r) => (r.departementCode as string | null) ?? 'Non renseigné',
          },
          { header: 'Type de structure', width: 28, value: (r) => kindLabel(String(r.memberKind)) },
          { header: 'Personnes formées', width: 18, value: v('people') },
          { header: 'Structures', width: 12, value: v('members') },
        ],
      },
      rows: report.territories,
    };
  }
  if (part === 'sessions') {
    return {
      sheet: {
        name: 'Sessions',
        frozenColumns: 1,
        columns: [
          { header: 'Formation', width: 44, value: v('title') },
          { header: 'Début', width: 22, value: v('startsAt') },
          {
            header: 'Département',
            width: 12,
            value: (r) => (r.remote ? 'À distance' : ((r.departementCode as string | null) ?? '')),
          },
          { header: 'Places', width: 10, value: v('capacity') },
          { header: 'Confirmés', width: 12, value: v('confirmed') },
          { header: "Liste d'attente", width: 14, value: v('waitlisted') },
          {
            header: 'Taux de remplissage (%)',
            width: 14,
            value: (r) => Number(r.fillRate) * 100,
            decimals: 1,
          },
          { header: 'Présents', width: 10, value: v('attended') },
          { header: 'Réponses au questionnaire', width: 14, value: v('surveyAnswers') },
          { header: 'Note moyenne (sur 5)', width: 12, value: v('overallAverage'), decimals: 2 },
        ],
      },
      rows: report.sessions,
    };
  }
  return {
    sheet: {
      name: "Listes d'attente",
      columns: [
        { header: 'Formation', width: 44, value: v('title') },
        {
          header: 'Département des structures',
          width: 14,
          value: (r) => (r.departementCode as string | null) ?? 'Non renseigné',
        },
        { header: "Personnes en liste d'attente", width: 16, value: v('waitlisted') },
        { header: 'Structures', width: 12, value: v('members') },
        { header: 'Sessions', width: 10, value: v('sessions') },
      ],
    },
    rows: report.waitingLists,
  };
}
