import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  billingRunInputSchema,
  billingRunRefusalSchema,
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
import { auditSource } from '../../platform/audit/audit.js';
import { today } from '../../platform/clock.js';
import { forbidden } from '../../platform/errors.js';
import { sendSpreadsheet } from '../../platform/export/spreadsheet.js';
import { type AccessRule, actorOf, can } from '../../platform/http/access.js';
import { fileUploadBody, readOneFile } from '../../platform/http/multipart.js';
import { yearModel } from '../pricing/pricing.model.js';
import { createCreditNote } from './billing.credit-notes.js';
import { INVOICES_SHEET } from './billing.export.js';
import { importPayments } from './billing.import.js';
import { exportInvoices, invoiceDetail, invoiceForPdf, listInvoices } from './billing.invoices.js';
import { recordPayment } from './billing.payments.js';
import { renderInvoicePdf } from './billing.pdf.js';
import { billingPolicy, invoiceReadScope } from './billing.policy.js';
import { requestBillingRun } from './billing.run.js';

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

const READ_REFUSAL =
  "Les factures sont consultables par l'équipe finances de l'opérateur et par la structure facturée.";

/** The finance team (every invoice) and a member's users (their own). */
const readInvoices: AccessRule = (actor) => invoiceReadScope(actor) !== undefined;
readInvoices.detail = READ_REFUSAL;

/** Whose invoices the actor reads: null for the finance team (all), the current member for its users. */
function readScope(request: FastifyRequest): string | null {
  const scope = invoiceReadScope(actorOf(request));
  if (scope === undefined) throw forbidden(READ_REFUSAL);
  return scope;
}

export default async function billingRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.post(
    '/billing/runs',
    {
      config: { access: can(billingPolicy, 'billing:run') },
      schema: {
        tags: TAGS,
        summary:
          "Appel de contributions d'une année : aperçu (rien n'est enregistré) ou émission des factures (finances)",
        description:
          "L'émission est idempotente (une structure déjà facturée pour l'année ne l'est pas deux fois) et exclusive : une émission simultanée reçoit 409. Les numéros sont continus, sans trou, même en cas d'échec.",
        body: billingRunInputSchema,
        response: {
          200: billingRunResultSchema,
          201: billingRunResultSchema,
          ...errors,
          422: billingRunRefusalSchema,
        },
      },
    },
    async (request, reply) => {
      const result = await request.inTenant(async (db) =>
        requestBillingRun(
          db,
          await yearModel(app.database, db, request.body.year),
          request.body,
          auditSource(request),
        ),
      );
      return reply.code(request.body.mode === 'issue' && result.invoiceCount > 0 ? 201 : 200).send(result);
    },
  );

  r.get(
    '/invoices',
    {
      config: { access: readInvoices },
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
      return request.inTenant((db) => listInvoices(db, request.query, scope));
    },
  );

  const exportRoute = (format: 'csv' | 'xlsx') =>
    r.get(
      `/invoices/export.${format}`,
      {
        config: { access: can(billingPolicy, 'invoices:export') },
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
        const rows = await request.inTenant((db) => exportInvoices(db, request.query));
        const { from, to } = request.query;
        const stamp = [from, to].filter(Boolean).join('_au_') || today();
        return sendSpreadsheet(reply, format, `factures-${stamp}`, INVOICES_SHEET, rows);
      },
    );
  exportRoute('csv');
  exportRoute('xlsx');

  r.get(
    '/invoices/:id',
    {
      config: { access: readInvoices },
      schema: {
        tags: TAGS,
        summary: "Une facture ou un avoir : lignes, paiements, avoirs qui s'y rapportent",
        params: invoiceParams,
        response: { 200: invoiceDetailSchema, ...errors },
      },
    },
    async (request) => {
      const scope = readScope(request);
      return request.inTenant((db) => invoiceDetail(db, request.params.id, scope));
    },
  );

  r.get(
    '/invoices/:id/pdf',
    {
      config: { access: readInvoices },
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
      const { detail, parties } = await request.inTenant((db) => invoiceForPdf(db, request.params.id, scope));
      const pdf = await renderInvoicePdf(detail, parties, {
        iban: app.config.OPERATOR_IBAN,
        bic: app.config.OPERATOR_BIC,
      });
      return reply
        .type('application/pdf')
        .header('content-disposition', `inline; filename="${detail.number}.pdf"`)
        .send(pdf);
    },
  );

  r.post(
    '/invoices/:id/credit-notes',
    {
      config: { access: can(billingPolicy, 'invoices:credit') },
      schema: {
        tags: TAGS,
        summary: 'Émettre un avoir (partiel par lignes, ou total : la facture est alors annulée) (finances)',
        params: invoiceParams,
        body: creditNoteInputSchema,
        response: { 201: invoiceDetailSchema, ...errors },
      },
    },
    async (request, reply) => {
      const note = await request.inTenant((db) =>
        createCreditNote(db, request.params.id, request.body, auditSource(request)),
      );
      return reply.code(201).send(note);
    },
  );

  r.post(
    '/invoices/:id/payments',
    {
      config: { access: can(billingPolicy, 'payments:record') },
      schema: {
        tags: TAGS,
        summary: 'Enregistrer un paiement reçu sur une facture (finances)',
        params: invoiceParams,
        body: paymentInputSchema,
        response: { 201: invoiceDetailSchema, ...errors },
      },
    },
    async (request, reply) => {
      const invoice = await request.inTenant((db) =>
        recordPayment(db, request.params.id, request.body, auditSource(request)),
      );
      return reply.code(201).send(invoice);
    },
  );

  r.post(
    '/billing/payments/import',
    {
      config: { access: can(billingPolicy, 'payments:record') },
      schema: {
        tags: TAGS,
        summary:
          'Importer les paiements reçus depuis un fichier CSV numéro;date;montant;référence (finances)',
        description:
          "Fichier CSV (séparateur ; ou , — UTF-8 ou Windows-1252) en multipart/form-data, champ `file`. Avec `dryRun=true`, rien n'est enregistré. Sinon tout le fichier est enregistré, ou rien (422 avec le rapport des erreurs par ligne).",
        consumes: ['multipart/form-data'],
        querystring: paymentImportQuerySchema,
        body: fileUploadBody('le fichier CSV des paiements'),
        response: {
          200: paymentImportReportSchema,
          ...errors,
          422: problemSchema.extend(paymentImportReportSchema.shape),
        },
      },
    },
    async (request) => {
      const { data: bytes } = await readOneFile(request, { what: 'le fichier CSV des paiements' });
      return request.inTenant((db) => importPayments(db, bytes, request.query.dryRun, auditSource(request)));
    },
  );
}
