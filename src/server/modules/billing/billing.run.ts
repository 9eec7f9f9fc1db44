/**
 * The year's contribution call: preview (writes nothing) or issue, annual or complementary. Issuing
 * writes every invoice of the run, numbered without a gap, or none.
 */
import crypto from 'node:crypto';
import { addDays, formatISO, parseISO } from 'date-fns';
import {
  type BillingRunResult,
  type ChorusRequiredField,
  lackingForChorus,
} from '../../../contracts/billing.js';
import { countOf } from '../../../contracts/french.js';
import { type AuditSource, recordAudit } from '../../platform/audit/audit.js';
import * as clock from '../../platform/clock.js';
import type { Executor } from '../../platform/db/client.js';
import { conflict, DomainError, invalid, uniqueOr, unprocessable } from '../../platform/errors.js';
import type { YearModel } from '../pricing/pricing.model.js';
import { insertColumns, insertIssuedLines } from './billing.bulk.js';
import { buildDrafts, complementaryDrafts, type Draft, summarise } from './billing.drafts.js';
import { emitInvoicesIssued } from './billing.events.js';
import { euros } from './billing.format.js';
import { orderedIds } from './billing.ids.js';
import * as repo from './billing.repository.js';

export const DEFAULT_PAYMENT_DAYS = 30;
/** Members incomplete for Chorus Pro a preview or a refusal lists by name (all are counted). */
const MAX_INCOMPLETE_LISTED = 500;

/** « A, B et C », or the first ten and how many more. */
function namesOf(members: { memberName: string }[]): string {
  const names = members.slice(0, 10).map((m) => m.memberName);
  if (members.length > 10) return `${names.join(', ')} et ${countOf(members.length - 10, 'autre', 'autres')}`;
  return names.length > 1 ? `${names.slice(0, -1).join(', ')} et ${names[names.length - 1]}` : names[0];
}

type Incomplete = BillingRunResult['incomplete'][number];

const FIELD_OF: Record<ChorusRequiredField, { field: string; label: string }> = {
  siret: { field: 'siret', label: 'SIRET' },
  serviceCode: { field: 'chorusServiceCode', label: 'code service Chorus Pro' },
};

export interface RunOptions {
  year: number;
  mode: 'preview' | 'issue';
  /**
   * annual (default): one invoice per member not invoiced yet for the year. complementary: also what
   * the shares of members already invoiced now exceed their invoices (net of credit notes).
   */
  call?: 'annual' | 'complementary';
  dueOn?: string;
  engagementNumbers?: Record<string, string>;
  serviceCodes?: Record<string, string>;
  previewLimit: number;
  actorUserId: string | null;
  /**
   * Issue even for members without a SIRET, or without the service code their Chorus Pro structure
   * requires (Chorus Pro would reject their invoices).
   */
  force?: boolean;
  /** Issue date; today in France by default. */
  today?: string;
  /** Test seam: runs after every row is written, before the commit. */
  beforeCommit?: () => Promise<void>;
  /** Filled with the milliseconds spent in each phase, when given (benchmark). */
  phases?: Record<string, number>;
  /** Rows per INSERT statement (10,000 invoices, ~50,000 lines); tests use small ones to cross batches. */
  batchSize?: number;
}

/**
 * The run a person asked for: `runBilling` with them as its author, and an issue recorded in the
 * audit log, in the same transaction.
 */
export async function requestBillingRun(
  db: Executor,
  model: YearModel,
  input: Omit<RunOptions, 'actorUserId'>,
  source: AuditSource,
): Promise<BillingRunResult> {
  const result = await runBilling(db, model, { ...input, actorUserId: source.actorUserId });
  if (input.mode === 'issue') {
    if (result.runId) await emitInvoicesIssued(db, result.runId);
    await recordAudit(db, {
      action: 'billing.issued',
      ...source,
      targetType: 'billing_run',
      targetId: result.runId ?? undefined,
      details: {
        year: input.year,
        invoices: result.invoiceCount,
        totalCents: result.totalCents,
        // Issued although Chorus Pro will reject these invoices: who decided it, for whom.
        ...(input.force && result.incompleteCount > 0 ? forcedFor(result.incomplete) : {}),
      },
    });
  }
  return result;
}

function forcedFor(incomplete: Incomplete[]) {
  const lacking = (field: ChorusRequiredField) =>
    incomplete.filter((m) => m.missing.includes(field)).map((m) => m.memberId);
  const withoutServiceCode = lacking('serviceCode');
  return {
    force: true,
    withoutSiret: lacking('siret'),
    ...(withoutServiceCode.length ? { withoutServiceCode } : {}),
  };
}

/**
 * Preview (writes nothing) or issue the year's contribution call. Issuing runs in the caller's
 * transaction: it takes the year's advisory lock (a concurrent run gets 409), skips members already
 * invoiced (re-running creates nothing), takes its numbers from invoice_sequences (so a failure rolls
 * them back) and writes every invoice, or none.
 */
export function runBilling(db: Executor, model: YearModel, options: RunOptions): Promise<BillingRunResult> {
  return uniqueOr(
    () => previewOrIssue(db, model, options),
    () => conflict(`Des factures ${options.year} viennent d'être émises par ailleurs : relancez l'aperçu.`),
  );
}

async function previewOrIssue(
  db: Executor,
  model: YearModel,
  options: RunOptions,
): Promise<BillingRunResult> {
  const { year, mode } = options;
  const call = options.call ?? 'annual';
  let mark = performance.now();
  const phase = (name: string) => {
    const now = performance.now();
    if (options.phases) options.phases[name] = Math.round(now - mark);
    mark = now;
  };
  const today = options.today ?? clock.today();
  const dueOn =
    options.dueOn ?? formatISO(addDays(parseISO(today), DEFAULT_PAYMENT_DAYS), { representation: 'date' });
  if (dueOn < today) {
    throw invalid("La date d'échéance ne peut pas précéder la date d'émission.", [
      { path: 'body.dueOn', message: `date postérieure au ${today} attendue` },
    ]);
  }
  if (mode === 'issue' && !(await repo.tryLockIssuing(db, year))) {
    throw conflict(
      `Une émission des factures ${year} est déjà en cours : attendez qu'elle se termine, puis relancez (elle ne créera que les factures manquantes).`,
    );
  }
  let drafts: Draft[];
  let alreadyInvoiced: number;
  let complement: ReturnType<typeof complementaryDrafts> | null = null;
  if (call === 'annual') {
    const invoiced = await repo.invoicedMembers(db, year);
    phase('lock+invoiced');
    const all = buildDrafts(model, mode === 'issue');
    phase('drafts');
    drafts = invoiced.size ? all.filter((d) => !invoiced.has(d.memberId)) : all;
    alreadyInvoiced = all.length - drafts.length;
  } else {
    const invoiced = await repo.invoicedAmounts(db, year);
    phase('lock+invoiced');
    complement = complementaryDrafts(buildDrafts(model, mode === 'issue'), invoiced, year);
    phase('drafts');
    drafts = complement.drafts;
    alreadyInvoiced = complement.upToDate;
  }
  const { totalCents, services } = summarise(drafts);
  const gaps = drafts.length ? await repo.membersIncompleteForChorus(db) : new Map();
  const incomplete: Incomplete[] = [];
  if (gaps.size) {
    for (const d of drafts) {
      const gap = gaps.get(d.memberId);
      if (!gap) continue;
      const missing: ChorusRequiredField[] = [];
      if (gap.siret) missing.push('siret');
      // A service code given for this run fills the gap.
      if (gap.serviceCode && !options.serviceCodes?.[d.memberId]) missing.push('serviceCode');
      if (missing.length) incomplete.push({ memberId: d.memberId, memberName: d.memberName, missing });
    }
  }
  const result: BillingRunResult = {
    mode,
    call,
    year,
    runId: null,
    invoiceCount: drafts.length,
    totalCents,
    alreadyInvoiced,
    firstNumber: null,
    lastNumber: null,
    services,
    invoices: drafts.slice(0, options.previewLimit).map((d) => ({
      memberId: d.memberId,
      memberName: d.memberName,
      totalCents: d.totalCents,
      lines: d.lines.map((l) => ({
        serviceId: l.serviceId,
        serviceCode: l.serviceCode,
        label: l.label,
        totalCents: l.totalCents,
      })),
    })),
    truncated: drafts.length > options.previewLimit,
    overbilledMembers: complement?.overbilledMembers ?? 0,
    overbilledCents: complement?.overbilledCents ?? 0,
    incomplete: incomplete.slice(0, MAX_INCOMPLETE_LISTED),
    incompleteCount: incomplete.length,
    message: '',
  };
  // What the complementary call found invoiced beyond the current shares: told, never credited here.
  const overbilled = complement?.overbilledMembers
    ? ` ${complement.overbilledMembers} structure${complement.overbilledMembers > 1 ? 's ont' : ' a'} été facturée${complement.overbilledMembers > 1 ? 's' : ''} de ${euros(complement.overbilledCents)} de plus que ${complement.overbilledMembers > 1 ? 'leurs parts actuelles' : 'sa part actuelle'} : émettez un avoir si nécessaire.`
    : '';
  if (drafts.length === 0) {
    if (complement) {
      result.message = `Aucun complément à facturer pour ${year} : les factures émises couvrent la part actuelle de chaque structure.${overbilled}`;
    } else {
      result.message =
        alreadyInvoiced > 0
          ? `Aucune nouvelle facture : ${alreadyInvoiced > 1 ? `les ${alreadyInvoiced} structures redevables ont déjà été facturées` : 'la structure redevable a déjà été facturée'} pour ${year}.`
          : `Aucune facture à émettre pour ${year} : aucun montant à répartir, aucun abonné ni cotisation.`;
    }
    return result;
  }
  if (mode === 'preview') {
    const missing = incomplete.length
      ? ` ${countOf(incomplete.length, 'structure', 'structures')} sans ${lackingForChorus(incomplete)} : l'émission ${incomplete.length > 1 ? 'les' : 'la'} refusera, sauf si vous la forcez.`
      : '';
    result.message = complement
      ? `Aperçu de l'appel complémentaire : ${countOf(drafts.length, 'facture', 'factures')} pour ${euros(totalCents)}${complement.firstInvoices ? `, dont ${countOf(complement.firstInvoices, 'première facture', 'premières factures')} de l'année` : ''}. Rien n'a été enregistré.${overbilled}${missing}`
      : `Aperçu : ${countOf(drafts.length, 'facture', 'factures')} pour ${euros(totalCents)}${alreadyInvoiced ? ` (${countOf(alreadyInvoiced, 'structure déjà facturée', 'structures déjà facturées')})` : ''}. Rien n'a été enregistré.${missing}`;
    return result;
  }

  if (incomplete.length > 0 && !options.force) {
    const listed = incomplete.slice(0, MAX_INCOMPLETE_LISTED);
    throw new DomainError(
      'unprocessable',
      incomplete.every((m) => m.missing.length === 1 && m.missing[0] === 'siret')
        ? 'Émission refusée : SIRET manquants'
        : 'Émission refusée : fiches incomplètes pour Chorus Pro',
      `${countOf(incomplete.length, 'structure n’a', 'structures n’ont')} pas ${lackingForChorus(incomplete, true)}, que Chorus Pro exige : ${namesOf(incomplete)}. Complétez leur fiche, ou émettez en forçant (la décision est journalisée).`,
      listed.flatMap((m) =>
        m.missing.map((field) => ({
          path: `members.${m.memberId}.${FIELD_OF[field].field}`,
          message: `${FIELD_OF[field].label} manquant pour ${m.memberName}`,
        })),
      ),
      { incomplete: listed, incompleteCount: incomplete.length },
    );
  }
  const operator = await repo.operatorParty(db);
  if (!operator?.siret) {
    throw unprocessable(
      "Le SIRET de l'opérateur n'est pas renseigné : complétez la fiche de l'opérateur avant d'émettre des factures.",
      [{ path: 'operator.siret', message: 'SIRET manquant' }],
    );
  }
  const parties = await repo.memberParties(
    db,
    drafts.map((d) => d.memberId),
  );
  phase('parties');
  const first = await repo.takeNumbers(db, year, drafts.length);
  const runId = crypto.randomUUID();
  await repo.insertRun(db, {
    id: runId,
    year,
    period: complement ? `Appel complémentaire ${year}` : `Contribution ${year}`,
    kind: 'issue',
    status: 'completed',
    actorUserId: options.actorUserId,
    invoiceCount: drafts.length,
    totalCents,
  });

  // Column by column, in numbering order; ids are time-ordered so that both tables and their indexes
  // are appended to rather than written at random places.
  const n = drafts.length;
  const invoiceIds = orderedIds(n);
  const memberIds = new Array<string>(n);
  const calls = new Array<number>(n);
  const numbers = new Array<string>(n);
  const sequences = new Array<number>(n);
  const totals = new Array<number>(n);
  const serviceCodes = new Array<string | null>(n);
  const engagementNumbers = new Array<string | null>(n);
  const memberNames = new Array<string>(n);
  const memberSirens = new Array<string>(n);
  const memberSirets = new Array<string | null>(n);
  const memberAddresses = new Array<string | null>(n);
  let lineCount = 0;
  for (let k = 0; k < n; k++) {
    const d = drafts[k];
    const party = parties.get(d.memberId);
    // The model's members are organisations read in this same transaction.
    if (!party) throw new Error(`billing run: member ${d.memberId} has no organisation row`);
    memberIds[k] = d.memberId;
    calls[k] = d.call ?? 1;
    numbers[k] = repo.invoiceNumber(year, first + k);
    sequences[k] = first + k;
    totals[k] = d.totalCents;
    serviceCodes[k] = options.serviceCodes?.[d.memberId] ?? party.chorusServiceCode;
    engagementNumbers[k] = options.engagementNumbers?.[d.memberId] ?? null;
    memberNames[k] = party.name;
    memberSirens[k] = party.siren;
    memberSirets[k] = party.siret;
    memberAddresses[k] = party.address;
    lineCount += d.lines.length;
  }
  // Lines: what varies per line, plus one entry per source (service or fee) for what its lines share.
  const lineIds = orderedIds(lineCount);
  const firstLines = new Array<number>(n + 1);
  const positions = new Array<number>(lineCount);
  const sources = new Array<number>(lineCount);
  const labels = new Array<string>(lineCount);
  const cents = new Array<number>(lineCount);
  const details = new Array<string>(lineCount);
  const sourceCount = model.services.length + 1;
  const sourceIds = new Array<string | null>(sourceCount).fill(null);
  const sourceCodes = new Array<string | null>(sourceCount).fill(null);
  const sourceRules = new Array<string | null>(sourceCount).fill(null);
  let j = 0;
  for (let k = 0; k < n; k++) {
    const d = drafts[k];
    firstLines[k] = j;
    for (let p = 0; p < d.lines.length; p++, j++) {
      const l = d.lines[p];
      positions[j] = p + 1;
      sources[j] = l.source;
      labels[j] = l.label;
      cents[j] = l.totalCents;
      details[j] = l.detail;
      if (sourceRules[l.source] === null) {
        sourceIds[l.source] = l.serviceId;
        sourceCodes[l.source] = l.serviceCode;
        sourceRules[l.source] = l.rule;
      }
    }
  }
  firstLines[n] = j;
  phase('rows');
  await insertColumns(
    db,
    'invoices',
    n,
    [
      { name: 'id', type: 'uuid', values: invoiceIds },
      { name: 'member_id', type: 'uuid', values: memberIds },
      { name: 'year', type: 'int', value: year },
      { name: 'number', type: 'text', values: numbers },
      { name: 'sequence', type: 'int', values: sequences },
      { name: 'kind', type: 'text', value: 'invoice' },
      { name: 'call', type: 'int', values: calls },
      { name: 'billing_run_id', type: 'uuid', value: runId },
      { name: 'issued_on', type: 'date', value: today },
      { name: 'due_on', type: 'date', value: dueOn },
      { name: 'total_cents', type: 'int', values: totals },
      { name: 'service_code', type: 'text', values: serviceCodes },
      { name: 'engagement_number', type: 'text', values: engagementNumbers },
      { name: 'operator_name', type: 'text', value: operator.name },
      { name: 'operator_siret', type: 'text', value: operator.siret },
      { name: 'operator_address', type: 'text', value: repo.postalAddress(operator) },
      { name: 'member_name', type: 'text', values: memberNames },
      { name: 'member_siren', type: 'text', values: memberSirens },
      { name: 'member_siret', type: 'text', values: memberSirets },
      { name: 'member_address', type: 'text', values: memberAddresses },
      { name: 'created_by', type: 'uuid', value: options.actorUserId },
    ],
    options.batchSize ?? 10_000,
  );
  phase('insert invoices');
  await insertIssuedLines(
    db,
    {
      invoiceIds,
      memberIds,
      firstLines,
      sources: { serviceIds: sourceIds, serviceCodes: sourceCodes, rules: sourceRules },
      lines: { ids: lineIds, positions, sources, labels, cents, details },
    },
    options.batchSize,
  );
  phase('insert lines');
  await options.beforeCommit?.();
  await repo.finishRun(db, runId);
  result.runId = runId;
  result.firstNumber = repo.invoiceNumber(year, first);
  result.lastNumber = repo.invoiceNumber(year, first + drafts.length - 1);
  const range =
    drafts.length > 1 ? `${result.firstNumber} à ${result.lastNumber}` : `n° ${result.firstNumber}`;
  result.message = complement
    ? `${countOf(drafts.length, "facture de l'appel complémentaire émise", "factures de l'appel complémentaire émises")} (${range}) pour ${euros(totalCents)}.${overbilled}`
    : `${countOf(drafts.length, 'facture émise', 'factures émises')} (${range}) pour ${euros(totalCents)}${alreadyInvoiced ? ` ; ${countOf(alreadyInvoiced, 'structure était déjà facturée', 'structures étaient déjà facturées')}` : ''}.`;
  return result;
}
