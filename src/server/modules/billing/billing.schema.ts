import { sql } from 'drizzle-orm';
import {
  type AnyPgColumn,
  bigint,
  check,
  date,
  index,
  integer,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { INVOICE_KINDS, INVOICE_STATUSES } from '../../../contracts/billing.js';
import { inList, organisations, users } from '../../kernel/identity.schema.js';

/** Issue runs of the annual contribution call (previews write nothing). Operator-only. */
export const billingRuns = pgTable(
  'billing_runs',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    year: integer('year').notNull(),
    period: text('period').notNull(),
    kind: text('kind').notNull().default('issue'),
    status: text('status').notNull().default('completed'),
    startedAt: timestamp('started_at', { withTimezone: true }).notNull().defaultNow(),
    finishedAt: timestamp('finished_at', { withTimezone: true }),
    actorUserId: uuid('actor_user_id').references(() => users.id, { onDelete: 'set null' }),
    invoiceCount: integer('invoice_count').notNull().default(0),
    totalCents: bigint('total_cents', { mode: 'number' }).notNull().default(0),
  },
  (t) => [
    index('billing_runs_year_idx').on(t.year, t.startedAt),
    check('billing_runs_kind_check', inList('kind', ['preview', 'issue'])),
    check('billing_runs_status_check', inList('status', ['completed', 'failed'])),
  ],
);

/**
 * The last number used per year. Issuing takes `UPDATE … SET last_number = last_number + n` in its own
 * transaction: the row lock serialises issuers until commit, and a rolled-back run gives its numbers
 * back, so numbers stay continuous and chronological. Operator-only.
 */
export const invoiceSequences = pgTable(
  'invoice_sequences',
  {
    year: integer('year').primaryKey(),
    lastNumber: integer('last_number').notNull().default(0),
  },
  () => [check('invoice_sequences_last_number_check', sql`last_number >= 0`)],
);

/**
 * Invoices (titres de recettes) and credit notes (avoirs). Member-owned (RLS: members read theirs,
 * only the operator writes). Immutable once issued: a trigger refuses any change but the payment
 * and credit columns, and every delete.
 */
export const invoices = pgTable(
  'invoices',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    memberId: uuid('member_id')
      .notNull()
      .references(() => organisations.id, { onDelete: 'restrict' }),
    year: integer('year').notNull(),
    /** F-2026-000123, from invoice_sequences; credit notes share the sequence of their invoice's year. */
    number: text('number').notNull(),
    sequence: integer('sequence').notNull(),
    kind: text('kind', { enum: INVOICE_KINDS }).notNull().default('invoice'),
    /**
     * Which call of the year an invoice belongs to: 1 for the annual contribution call, 2, 3… for the
     * complementary calls that bill what the year's shares added since (new subscriptions, more units).
     */
    call: integer('call').notNull().default(1),
    creditOf: uuid('credit_of').references((): AnyPgColumn => invoices.id, { onDelete: 'restrict' }),
    billingRunId: uuid('billing_run_id').references(() => billingRuns.id, { onDelete: 'restrict' }),
    issuedOn: date('issued_on').notNull(),
    dueOn: date('due_on').notNull(),
    /** Negative for credit notes. */
    totalCents: integer('total_cents').notNull(),
    status: text('status', { enum: INVOICE_STATUSES }).notNull().default('issued'),
    paidCents: integer('paid_cents').notNull().default(0),
    /** Sum credited by credit notes (positive), so the amount still due is total − credited. */
    creditedCents: integer('credited_cents').notNull().default(0),
    /** Chorus Pro: the debtor's service code and engagement number, when it gave them. */
    serviceCode: text('service_code'),
    engagementNumber: text('engagement_number'),
    reason: text('reason'),
    operatorName: text('operator_name').notNull(),
    operatorSiret: text('operator_siret').notNull(),
    operatorAddress: text('operator_address'),
    memberName: text('member_name').notNull(),
    memberSiren: text('member_siren').notNull(),
    memberSiret: text('member_siret'),
    memberAddress: text('member_address'),
    createdBy: uuid('created_by').references(() => users.id, { onDelete: 'set null' }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('invoices_number_key').on(t.number),
    // Target of invoice_lines' (invoice_id, member_id) key: a line always belongs to its invoice's member.
    uniqueIndex('invoices_id_member_key').on(t.id, t.memberId),
    uniqueIndex('invoices_year_sequence_key').on(t.year, t.sequence),
    // One invoice per member, year and call: re-running an issue creates nothing.
    uniqueIndex('invoices_call_key').on(t.memberId, t.year, t.call).where(sql`kind = 'invoice'`),
    index('invoices_member_idx').on(t.memberId, t.year, t.number),
    index('invoices_year_number_idx').on(t.year, t.number, t.id),
    index('invoices_number_idx').on(t.number, t.id),
    index('invoices_issued_idx').on(t.issuedOn, t.number),
    index('invoices_credit_of_idx').on(t.creditOf),
    check('invoices_kind_check', inList('kind', INVOICE_KINDS)),
    check('invoices_status_check', inList('status', INVOICE_STATUSES)),
    check(
      'invoices_sign_check',
      sql`(kind = 'invoice' AND total_cents >= 0 AND credit_of IS NULL) OR (kind = 'credit_note' AND total_cents <= 0 AND credit_of IS NOT NULL)`,
    ),
    check('invoices_amounts_check', sql`paid_cents >= 0 AND credited_cents >= 0`),
    check('invoices_call_check', sql`call >= 1`),
    check('invoices_due_check', sql`due_on >= issued_on`),
  ],
);

/**
 * Lines of an invoice: one per service, and one for the membership fee (service_id null). A billing
 * run writes a million of them, so their keys are not foreign keys (two trigger calls and index
 * lookups per row) but one set-based check per statement (trigger invoice_lines_keys, migration 0022):
 * (invoice_id, member_id) must be an invoice of that member, credit_of_line_id an existing line.
 * Neither can vanish afterwards: invoices and lines are never updated, deleted or truncated.
 * service_id keeps no key: the line snapshots the code and label.
 */
export const invoiceLines = pgTable(
  'invoice_lines',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    invoiceId: uuid('invoice_id').notNull(),
    memberId: uuid('member_id').notNull(),
    position: integer('position').notNull(),
    serviceId: uuid('service_id'),
    serviceCode: text('service_code'),
    /** For credit note lines: the invoice line they correct. */
    creditOfLineId: uuid('credit_of_line_id'),
    label: text('label').notNull(),
    quantity: integer('quantity').notNull().default(1),
    unitCents: integer('unit_cents').notNull(),
    totalCents: integer('total_cents').notNull(),
    explanation: text('explanation'),
  },
  (t) => [
    index('invoice_lines_invoice_idx').on(t.invoiceId, t.position),
    index('invoice_lines_credit_of_idx').on(t.creditOfLineId).where(sql`credit_of_line_id IS NOT NULL`),
  ],
);

/** Payments received (set by the operator or imported from the treasury's CSV). */
export const payments = pgTable(
  'payments',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    invoiceId: uuid('invoice_id')
      .notNull()
      .references(() => invoices.id, { onDelete: 'restrict' }),
    memberId: uuid('member_id')
      .notNull()
      .references(() => organisations.id, { onDelete: 'restrict' }),
    paidOn: date('paid_on').notNull(),
    amountCents: integer('amount_cents').notNull(),
    reference: text('reference').notNull().default(''),
    actorUserId: uuid('actor_user_id').references(() => users.id, { onDelete: 'set null' }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('payments_invoice_idx').on(t.invoiceId, t.paidOn),
    index('payments_member_idx').on(t.memberId),
    check('payments_amount_check', sql`amount_cents > 0`),
  ],
);
