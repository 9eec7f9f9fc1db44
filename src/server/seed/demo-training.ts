import crypto from 'node:crypto';
import { sql } from 'drizzle-orm';
import { USEFULNESS_LEVELS } from '../../contracts/support-training.js';
import { trainingRegistrations, trainingSessions } from '../modules/support/support.schema.js';
import { trainingSurveys } from '../modules/support/support.training.schema.js';
import { hashToken } from '../platform/auth/session.js';
import { type Db, rowsOf } from '../platform/db/client.js';
import { insertRows } from './bulk.js';
import { TRAINING_PLACES, TRAINING_TITLES } from './demo-support.js';
import { Random } from './random.js';

/**
 * The training follow-up in the demo (issue 14, §3): two past sessions per département over the last
 * three months, with attendance recorded (about nine in ten present), survey answers from most attendees
 * (marks, usefulness, a few comments) and people left on waiting lists, so the reports have something to
 * say; the demo secretary (Faymoreau) attended one and may download her certificate. The latest session,
 * held two days ago in Vendée, still waits for its attendance. Does nothing once surveys exist.
 */

const DAY = 86_400_000;
const COMMENTS = [
  'Très concret, les exercices sur nos propres dossiers aident beaucoup.',
  'Un peu rapide sur la fin, une demi-journée de plus serait utile.',
  'Formatrice à l’écoute, merci.',
  'J’aurais aimé un support papier à emporter.',
  'Parfait pour une nouvelle arrivée dans la commune.',
];

export async function seedTrainingFollowUp(
  db: Db,
  now: Date,
): Promise<{ pastSessions: number; attendees: number; surveyAnswers: number }> {
  const existing = rowsOf<{ n: unknown }>(await db.execute(sql`SELECT count(*) AS n FROM training_surveys`));
  if (Number(existing[0]?.n ?? 0) > 0) return { pastSessions: 0, attendees: 0, surveyAnswers: 0 };
  const members = rowsOf<{ id: string; departement_code: string | null; commune_code: string | null }>(
    await db.execute(sql`SELECT id, departement_code, commune_code FROM organisations
      WHERE kind <> 'operator' AND status = 'member' ORDER BY id`),
  );
  if (members.length === 0) return { pastSessions: 0, attendees: 0, surveyAnswers: 0 };
  const faymoreau = members.find((m) => m.commune_code === '85087');
  const rng = new Random(1414);
  const day = (offset: number, hour: number) => {
    const d = new Date(now.getTime() + offset * DAY);
    d.setUTCHours(hour, 0, 0, 0);
    return d;
  };
  const sessions: (typeof trainingSessions.$inferInsert)[] = [];
  const registrations: (typeof trainingRegistrations.$inferInsert)[] = [];
  const surveys: (typeof trainingSurveys.$inferInsert)[] = [];
  let answers = 0;

  const departements = Object.keys(TRAINING_PLACES);
  const plan: {
    code: string;
    offset: number;
    title: string;
    audience: 'agents' | 'elus' | 'tous';
    recorded: boolean;
  }[] = [];
  for (const [i, code] of departements.entries()) {
    for (const [k, offset] of [-80 + i * 2, -35 + i * 2].entries()) {
      const [title, audience] = TRAINING_TITLES[(i + k * 2) % TRAINING_TITLES.length] ?? [
        'Formation',
        'tous',
      ];
      plan.push({ code, offset, title, audience, recorded: true });
    }
  }
  plan.push({
    code: '85',
    offset: -2,
    title: 'Le parapheur électronique au quotidien',
    audience: 'agents',
    recorded: false,
  });

  for (const [index, p] of plan.entries()) {
    const startsAt = day(p.offset, 8);
    const endsAt = day(p.offset, 15);
    const sessionId = rng.uuid();
    const capacity = rng.pick([10, 12, 15]);
    sessions.push({
      id: sessionId,
      title: p.title,
      audience: p.audience,
      startsAt,
      endsAt,
      place: TRAINING_PLACES[p.code] ?? 'Maison des communes',
      departementCode: p.code,
      remote: false,
      trainer: rng.pick(['Marie Guérin', 'Paul Lebreton', 'Anne Chiron']),
      capacity,
      perMemberCap: 3,
      registrationDeadline: day(p.offset - 2, 16),
      attendanceRecordedAt: p.recorded ? day(p.offset, 16) : null,
      createdAt: day(p.offset - 40, 9),
    });
    const local = members.filter((m) => m.departement_code === p.code);
    const pool = local.length > 0 ? local : members;
    // Half the sessions had more candidates than places: their waiting lists say where to open more.
    const count = index % 2 === 0 ? capacity + rng.int(2, 6) : capacity - rng.int(1, 4);
    const people: { memberId: string; name: string; email: string }[] = [];
    if (faymoreau && p.code === '85' && (p.offset > -40 || !p.recorded)) {
      people.push({ memberId: faymoreau.id, name: 'Nathalie Bonnin', email: 'secretaire@communes.example' });
    }
    while (people.length < count) {
      const n = people.length + 1;
      people.push({
        memberId: rng.pick(pool).id,
        name: `Agent ${index + 1}-${n}`,
        email: `agent-passe-${index + 1}-${n}@formation.example`,
      });
    }
    for (const [n, person] of people.entries()) {
      const id = rng.uuid();
      const confirmed = n < capacity;
      const attended =
        !p.recorded || !confirmed ? null : person.memberId === faymoreau?.id || rng.chance(0.88);
      registrations.push({
        id,
        memberId: person.memberId,
        sessionId,
        name: person.name,
        email: person.email,
        status: confirmed ? 'confirmed' : 'waitlisted',
        attended,
        createdAt: day(p.offset - 30 + (n % 20), 10),
      });
      if (!attended) continue;
      const answered = rng.chance(0.7);
      if (answered) answers += 1;
      const overall = answered ? rng.pick([3, 4, 4, 4, 5, 5, 5, 2]) : null;
      surveys.push({
        memberId: person.memberId,
        sessionId,
        registrationId: id,
        // Nobody holds these links: the demo's attendees answered already or never will.
        tokenHash: hashToken(crypto.randomBytes(32).toString('base64url')),
        overall,
        usefulness: answered
          ? rng.pick(overall && overall >= 4 ? ['very', 'rather'] : USEFULNESS_LEVELS)
          : null,
        comment: answered && rng.chance(0.3) ? rng.pick(COMMENTS) : null,
        answeredAt: answered ? day(p.offset + rng.int(1, 6), 11) : null,
        createdAt: day(p.offset, 16),
      });
    }
  }
  await insertRows(db, trainingSessions, sessions);
  await insertRows(db, trainingRegistrations, registrations);
  await insertRows(db, trainingSurveys, surveys);
  return { pastSessions: sessions.length, attendees: surveys.length, surveyAnswers: answers };
}
