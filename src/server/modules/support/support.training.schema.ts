import { sql } from 'drizzle-orm';
import { check, index, integer, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { USEFULNESS_LEVELS } from '../../../contracts/support-training.js';
import { inList, organisations } from '../../kernel/identity.schema.js';
import { trainingRegistrations, trainingSessions } from './support.schema.js';

/**
 * After a training session (issue 14, §3): one satisfaction survey per attendee, reached through a
 * personal link whose token is kept as its SHA-256 only (like the governance convocations), answered
 * once. Member-owned (the attendee's member): the operator reads every answer, the link holder its own.
 */
export const trainingSurveys = pgTable(
  'training_surveys',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    memberId: uuid('member_id')
      .notNull()
      .references(() => organisations.id, { onDelete: 'cascade' }),
    sessionId: uuid('session_id')
      .notNull()
      .references(() => trainingSessions.id, { onDelete: 'cascade' }),
    registrationId: uuid('registration_id')
      .notNull()
      .references(() => trainingRegistrations.id, { onDelete: 'cascade' }),
    tokenHash: text('token_hash').notNull(),
    overall: integer('overall'),
    usefulness: text('usefulness', { enum: USEFULNESS_LEVELS }),
    comment: text('comment'),
    answeredAt: timestamp('answered_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('training_surveys_registration_unique').on(t.memberId, t.registrationId),
    uniqueIndex('training_surveys_token_unique').on(t.tokenHash),
    index('training_surveys_session_idx').on(t.sessionId),
    check('training_surveys_overall_check', sql`${t.overall} BETWEEN 1 AND 5`),
    check('training_surveys_usefulness_check', inList('usefulness', USEFULNESS_LEVELS)),
    check(
      'training_surveys_answer_check',
      sql`(${t.answeredAt} IS NULL) = (${t.overall} IS NULL) AND (${t.overall} IS NULL) = (${t.usefulness} IS NULL)`,
    ),
  ],
);
