import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  billingRunInputSchema,
  billingRunResultSchema,
  creditNoteInputSchema,
  invoiceDetailSchema,
  invoiceExportQuerySchema,
  invoiceListQuerySchema,
  invoiceListSchema,
  paymentImportQuerySchema,
  paymentImportReportSchema,
  paymentInputSchema,
} from '../../../contracts/billing.js';
import { problemSchema } from '../../../contracts/common.js';
import { auditSource, recordAudit } from '../../platform/audit/audit.js';
import { authorise, requireActor } from '../../platform/auth/context.js';
import type { Tx } from '../../platform/db/client.js';
import { withTenant } from '../../platform/db/tenancy.js';
import { conflict, DomainError, forbidden, invalid, notFound } from '../../platform/errors.js';
import { sendSpreadsheet } from '../../platform/export/spreadsheet.js';
import { yearModel } from '../pricing/pricing.model.js';
import { INVOICES_SHEET } from './billing.export.js';
import { importPayments } from './billing.import.js';
import { renderInvoicePdf } from './billing.pdf.js';
import { type BillingAction, billingPolicy } from './billing.policy.js';
import * as repo from './billing.repository.js';
import * as service from './billing.service.js';

const TAGS = ['facturation'];
const errors = {
  400: problemSchema,
  401: problemSchema,
  403: problemSchema,
  404: problemSchema,
  409: problemSchema,
  422: problemSchema,
};
const invoiceParams = z.object({ id: z.uuid({ message: 'identifiant de facture invalide' }) });
const UNIQUE_VIOLATION = '23505';

function allow(request: FastifyRequest, action: BillingAction) {
  const actor = requireActor(request);
  authorise(billingPolicy(actor, action));
  return actor;
}

/**
 * Whose invoices the actor may read: null for the finance team (all), the current member's id for
 * that member's users; 403 for anyone else.
 */
function readScope(request: FastifyRequest): string | null {
  const actor = requireActor(request);
  if (billingPolicy(actor, 'invoices:readAll')) return null;
  const memberId = actor.current && !actor.isOperator ? actor.current.organisationId : null;
  if (memberId && billingPolicy(actor, 'invoices:readOwn', memberId)) return memberId;
  throw forbidden(
    "Les factures sont consultables par l'équipe finances de l'opérateur et par la structure facturée.",
  );
}

/**
 * Documents the upload in OpenAPI; the multipart plugin leaves the body unparsed (the file is
 * streamed by `request.file()`).
 */
const csvUploadSchema = z.any().meta({
  type: 'object',
  properties: { file: { type: 'string', format: 'binary', description: 'le fichier CSV des paiements' } },
  required: ['file'],
});

async function readUploadedFile(request: FastifyRequest): Promise<Buffer> {
  const missing = () =>
    invalid('Joignez le fichier CSV des paiements en multipart/form-data dans le champ « file ».', [
      { path: 'body.file', message: 'fichier manquant' },
    ]);
  if (!request.isMultipart()) throw missing();
  const part = await request.file();
  if (part?.fieldname !== 'file') throw missing();
  const bytes = await part.toBuffer();
  if (bytes.length === 0) {
    throw invalid('Le fichier envoyé est vide.', [{ path: 'body.file', message: 'fichier vide' }]);
  }
  return bytes;
}

export default async function billingRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tx = <T>(request: FastifyRequest, work: (db: Tx) => Promise<T>) =>
    withTenant(app.database.db, request.tenant, work);

  r.post(
    '/billing/runs',
    {
      schema: {
        tags: TAGS,
        summary:
          "Appel de contributions d'une année : aperçu (rien n'est enregistré) ou émission des factures (finances)",
        description:
          "L'émission est idempotente (une structure déjà facturée pour l'année ne l'est pas deux fois) et exclusive : une émission simultanée reçoit 409. Les numéros sont continus, sans trou, même en cas d'échec.",
        body: billingRunInputSchema,
        response: { 200: billingRunResultSchema, 201: billingRunResultSchema, ...errors },
      },
    },
    async (request, reply) => {
      const actor = allow(request, 'billing:run');
      const { year, mode } = request.body;
      try {
        const result = await tx(request, async (db) => {
          const model = await yearModel(app.database, db, year);
          const run = await service.runBilling(db, model, { ...request.body, actorUserId: actor.userId });
          if (mode === 'issue') {
            await recordAudit(db, {
              action: 'billing.issued',
              ...auditSource(request),
              targetType: 'billing_run',
              targetId: run.runId ?? undefined,
              details: { year, invoices: run.invoiceCount, totalCents: run.totalCents },
            });
          }
          return run;
        });
        return reply.code(mode === 'issue' && result.invoiceCount > 0 ? 201 : 200).send(result);
      } catch (error: any) {
        if ((error?.code ?? error?.cause?.code) === UNIQUE_VIOLATION) {
          throw conflict(`Des factures ${year} viennent d'être émises par ailleurs : relancez l'aperçu.`);
        }
        throw error;
      }
    },
  );

  r.get(
    '/invoices',
    {
      schema: {
        tags: TAGS,
        summary:
          'Factures et avoirs, du plus récent au plus ancien (finances : toutes ; structure : les siennes)',
        querystring: invoiceListQuerySchema,
        response: { 200: invoiceListSchema, ...errors },
      },
    },
    async (request) => {
      const scope = readScope(request);
      if (scope && request.query.memberId && request.query.memberId !== scope) {
        throw forbidden('Vous ne pouvez consulter que les factures de votre structure.');
      }
      return tx(request, (db) =>
        service.listInvoices(db, { ...request.query, memberId: scope ?? request.query.memberId }),
      );
    },
  );

  const exportRoute = (format: 'csv' | 'xlsx') =>
    r.get(
      `/invoices/export.${format}`,
      {
        schema: {
          tags: TAGS,
          summary:
            format === 'csv'
              ? 'Exporter factures, avoirs et lignes sur une période, en CSV (comptabilité, finances)'
              : 'Exporter factures, avoirs et lignes sur une période, en classeur XLSX (comptabilité, finances)',
          querystring: invoiceExportQuerySchema,
          response: { 200: z.any().describe(format === 'csv' ? 'Fichier CSV' : 'Classeur XLSX'), ...errors },
        },
      },
      async (request, reply) => {
        allow(request, 'invoices:export');
        const { from, to } = request.query;
        if (from && to && from > to) {
          throw invalid('La date de début doit précéder la date de fin.', [
            { path: 'query.from', message: 'période inversée' },
          ]);
        }
        const rows = await tx(request, (db) => repo.exportRows(db, request.query));
        const stamp = [from, to].filter(Boolean).join('_au_') || new Date().toISOString().slice(0, 10);
        return sendSpreadsheet(reply, format, `factures-${stamp}`, INVOICES_SHEET, rows);
      },
    );
  exportRoute('csv');
  exportRoute('xlsx');

  r.get(
    '/invoices/:id',
    {
      schema: {
        tags: TAGS,
        summary: "Une facture ou un avoir : lignes, paiements, avoirs qui s'y rapportent",
        params: invoiceParams,
        response: { 200: invoiceDetailSchema, ...errors },
      },
    },
    async (request) => {
      const scope = readScope(request);
      return tx(request, (db) => service.invoiceDetail(db, request.params.id, scope));
    },
  );

  r.get(
    '/invoices/:id/pdf',
    {
      schema: {
        tags: TAGS,
        summary:
          'La facture ou l’avoir en PDF (SIRET des deux parties, champs Chorus Pro, modalités de paiement)',
        params: invoiceParams,
        response: { 200: z.any().describe('Document PDF'), ...errors },
      },
    },
    async (request, reply) => {
      const scope = readScope(request);
      const { detail, row } = await tx(request, async (db) => {
        const row = await repo.invoiceById(db, request.params.id, scope);
        if (!row) throw notFound("Cette facture n'existe pas.");
        return { row, detail: await service.invoiceDetail(db, row.id, row.memberId) };
      });
      const pdf = await renderInvoicePdf(
        detail,
        { operatorAddress: row.operatorAddress, memberAddress: row.memberAddress },
        { iban: app.config.OPERATOR_IBAN, bic: app.config.OPERATOR_BIC },
      );
      return reply
        .type('application/pdf')
        .header('content-disposition', `inline; filename="${detail.number}.pdf"`)
        .send(pdf);
    },
  );

  r.post(
    '/invoices/:id/credit-notes',
    {
      schema: {
        tags: TAGS,
        summary: 'Émettre un avoir (partiel par lignes, ou total : la facture est alors annulée) (finances)',
        params: invoiceParams,
        body: creditNoteInputSchema,
        response: { 201: invoiceDetailSchema, ...errors },
      },
    },
    async (request, reply) => {
      const actor = allow(request, 'invoices:credit');
      const note = await tx(request, async (db) => {
        const note = await service.createCreditNote(db, request.params.id, request.body, actor.userId);
        await recordAudit(db, {
          action: 'billing.credit_note_issued',
          ...auditSource(request),
          memberId: note.memberId,
          targetType: 'invoice',
          targetId: note.id,
          details: { creditOf: request.params.id, totalCents: note.totalCents },
        });
        return note;
      });
      return reply.code(201).send(note);
    },
  );

  r.post(
    '/invoices/:id/payments',
    {
      schema: {
        tags: TAGS,
        summary: 'Enregistrer un paiement reçu sur une facture (finances)',
        params: invoiceParams,
        body: paymentInputSchema,
        response: { 201: invoiceDetailSchema, ...errors },
      },
    },
    async (request, reply) => {
      const actor = allow(request, 'payments:record');
      const invoice = await tx(request, async (db) => {
        const invoice = await service.recordPayment(
          db,
          request.params.id,
          { ...request.body, reference: request.body.reference ?? '' },
          actor.userId,
        );
        await recordAudit(db, {
          action: 'billing.payment_recorded',
          ...auditSource(request),
          memberId: invoice.memberId,
          targetType: 'invoice',
          targetId: invoice.id,
          details: { amountCents: request.body.amountCents },
        });
        return invoice;
      });
      return reply.code(201).send(invoice);
    },
  );

  r.post(
    '/billing/payments/import',
    {
      schema: {
        tags: TAGS,
        summary:
          'Importer les paiements reçus depuis un fichier CSV numéro;date;montant;référence (finances)',
        description:
          "Fichier CSV (séparateur ; ou , — UTF-8 ou Windows-1252) en multipart/form-data, champ `file`. Avec `dryRun=true`, rien n'est enregistré. Sinon tout le fichier est enregistré, ou rien (422 avec le rapport des erreurs par ligne).",
        consumes: ['multipart/form-data'],
        querystring: paymentImportQuerySchema,
        body: csvUploadSchema,
        response: {
          200: paymentImportReportSchema,
          ...errors,
          422: problemSchema.extend(paymentImportReportSchema.shape),
        },
      },
    },
    async (request) => {
      const actor = allow(request, 'payments:record');
      const bytes = await readUploadedFile(request);
      const { dryRun } = request.query;
      return tx(request, async (db) => {
        const outcome = await importPayments(db, bytes, { dryRun, actorUserId: actor.userId });
        if (outcome.kind === 'refused') {
          throw new DomainError(
            'unprocessable',
            'Import refusé',
            `Aucun paiement n'a été enregistré : le fichier comporte ${outcome.report.errors.length} erreur(s). Corrigez-les puis importez à nouveau le fichier.`,
            undefined,
            { ...outcome.report },
          );
        }
        if (outcome.kind === 'recorded') {
          await recordAudit(db, {
            action: 'billing.payments_imported',
            ...auditSource(request),
            details: { recorded: outcome.report.recorded },
          });
        }
        return outcome.report;
      });
    },
  );
}
