import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  ACT_DOCUMENT_MAX_BYTES,
  type ActDetail,
  actBulkTransmitReportSchema,
  actBulkTransmitSchema,
  actCreatedSchema,
  actDetailSchema,
  actDocumentSchema,
  actDocumentUploadSchema,
  actInputSchema,
  actListQuerySchema,
  actListSchema,
  actPatchSchema,
  classificationSchema,
  type PublicActList,
  publicActListQuerySchema,
  publicActListSchema,
  transmissionListSchema,
  transmissionOverviewQuerySchema,
  transmissionVolumesSchema,
} from '../../../contracts/acts.js';
import { isoDate } from '../../../contracts/common.js';
import { auditSource } from '../../platform/audit/audit.js';
import { type FieldError, invalid } from '../../platform/errors.js';
import { can, param } from '../../platform/http/access.js';
import { sendDownload } from '../../platform/http/download.js';
import { readUpload as readMultipart } from '../../platform/http/multipart.js';
import * as operator from './acts.operator.service.js';
import { actsPolicy } from './acts.policy.js';
import * as publication from './acts.publication.service.js';
import * as service from './acts.service.js';
import * as transmission from './acts.transmission.service.js';

const TAGS = ['actes'];
const PUBLIC_TAGS = ['actes — portail public'];
const memberParams = z.object({ memberId: z.uuid({ message: 'identifiant de structure invalide' }) });
const actParams = memberParams.extend({ actId: z.uuid({ message: "identifiant d'acte invalide" }) });
const documentParams = actParams.extend({
  documentId: z.uuid({ message: 'identifiant de document invalide' }),
});
const messageParams = actParams.extend({ messageId: z.uuid({ message: 'identifiant de message invalide' }) });
const sessionParams = memberParams.extend({ sessionOn: isoDate });
const file = (what: string) => z.any().describe(what);

const read = can(actsPolicy, 'acts:read', param('memberId'));
const write = can(actsPolicy, 'acts:write', param('memberId'));
const transmit = can(actsPolicy, 'acts:transmit', param('memberId'));

/**
 * Acts (issue 11): the member's register, transmission to the prefecture, publication, the public
 * portal and open data, and the operator's view of transmissions.
 */
export default async function actsRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<ZodTypeProvider>();

  // The register ---------------------------------------------------------------------------------
  r.post(
    '/members/:memberId/acts',
    {
      config: { access: write },
      schema: {
        tags: TAGS,
        summary: 'Créer un acte (brouillon)',
        params: memberParams,
        body: actInputSchema,
        response: { 201: actCreatedSchema },
      },
    },
    async (request, reply) => {
      const created = await request.inTenant((db) =>
        service.createAct(db, request.params.memberId, request.body, auditSource(request)),
      );
      return reply.code(201).send(created);
    },
  );

  r.get(
    '/members/:memberId/acts',
    {
      config: { access: read },
      schema: {
        tags: TAGS,
        summary: 'Registre des actes de la structure (filtres : statut, nature, matière, dates, mots)',
        params: memberParams,
        querystring: actListQuerySchema,
        response: { 200: actListSchema },
      },
    },
    async (request) => request.inTenant((db) => service.listActs(db, request.params.memberId, request.query)),
  );

  r.get(
    '/members/:memberId/acts/classification',
    {
      config: { access: read },
      schema: {
        tags: TAGS,
        summary: 'Classification des actes (matières) de la préfecture, telle que Socle la conserve',
        params: memberParams,
        response: { 200: classificationSchema },
      },
    },
    async (request) => request.inTenant((db) => service.getClassification(db, request.params.memberId)),
  );

  r.post(
    '/members/:memberId/acts/classification/refresh',
    {
      config: { access: write },
      schema: {
        tags: TAGS,
        summary: 'Mettre à jour la classification depuis le tiers de télétransmission',
        params: memberParams,
        response: { 200: classificationSchema },
      },
    },
    async (request) =>
      transmission.refreshClassification(
        (work) => request.inTenant(work),
        app.actsConnector,
        request.params.memberId,
      ),
  );

  r.post(
    '/members/:memberId/acts/transmissions',
    {
      config: { access: transmit },
      schema: {
        tags: TAGS,
        summary:
          'Transmettre plusieurs actes prêts au contrôle de légalité (500 au plus ; résultat acte par acte)',
        params: memberParams,
        body: actBulkTransmitSchema,
        response: { 200: actBulkTransmitReportSchema },
      },
    },
    async (request) =>
      request.inTenant((db) =>
        transmission.transmitMany(db, request.params.memberId, request.body.actIds, auditSource(request)),
      ),
  );

  r.get(
    '/members/:memberId/acts/sessions/:sessionOn/deliberations.pdf',
    {
      config: { access: read },
      schema: {
        tags: TAGS,
        summary: "Liste des délibérations d'une séance (PDF, à publier dans la semaine)",
        params: sessionParams,
        response: { 200: file('Fichier PDF') },
      },
    },
    async (request, reply) => {
      const { memberId, sessionOn } = request.params;
      const pdf = await request.inTenant((db) => publication.deliberationsList(db, memberId, sessionOn));
      return sendDownload(reply, {
        type: 'application/pdf',
        filename: `deliberations-${sessionOn}.pdf`,
        body: pdf,
        headers: { 'cache-control': 'private, no-store' },
      });
    },
  );

  r.get(
    '/members/:memberId/acts/:actId',
    {
      config: { access: read },
      schema: {
        tags: TAGS,
        summary: 'Un acte : statut, dates, pièces, messages de la préfecture, historique',
        params: actParams,
        response: { 200: actDetailSchema },
      },
    },
    async (request) =>
      request.inTenant((db) => service.getAct(db, request.params.memberId, request.params.actId)),
  );

  r.patch(
    '/members/:memberId/acts/:actId',
    {
      config: { access: write },
      schema: {
        tags: TAGS,
        summary: 'Modifier un acte (brouillon, prêt ou en erreur ; la date de notification à tout moment)',
        params: actParams,
        body: actPatchSchema,
        response: { 200: actDetailSchema },
      },
    },
    async (request) =>
      request.inTenant((db) =>
        service.updateAct(
          db,
          request.params.memberId,
          request.params.actId,
          request.body,
          auditSource(request),
        ),
      ),
  );

  r.post(
    '/members/:memberId/acts/:actId/documents',
    {
      config: { access: write },
      schema: {
        tags: TAGS,
        summary: 'Déposer une pièce (multipart : file, role = main | annex)',
        consumes: ['multipart/form-data'],
        params: actParams,
        response: { 201: actDocumentSchema },
      },
    },
    async (request, reply) => {
      const { memberId, actId } = request.params;
      const upload = await readUpload(request, 1);
      const parsed = actDocumentUploadSchema.safeParse(upload.fields);
      const errors: FieldError[] = parsed.success
        ? []
        : [{ path: 'body.role', message: 'rôle attendu : main (document principal) ou annex (annexe)' }];
      if (upload.files.length === 0) errors.push({ path: 'body.file', message: 'fichier manquant ou vide' });
      if (!parsed.success || errors.length > 0) {
        throw invalid(errors.map((e) => `${e.path} : ${e.message}`).join(' ; '), errors);
      }
      const document = await request.inTenant((db) =>
        service.uploadDocument(
          db,
          app.storage,
          memberId,
          actId,
          parsed.data.role,
          upload.files[0],
          auditSource(request),
        ),
      );
      return reply.code(201).send(document);
    },
  );

  r.get(
    '/members/:memberId/acts/:actId/documents/:documentId',
    {
      config: { access: read },
      schema: {
        tags: TAGS,
        summary: "Télécharger une pièce de l'acte",
        params: documentParams,
        response: { 200: file('Fichier') },
      },
    },
    async (request, reply) => {
      const { memberId, actId, documentId } = request.params;
      const { document, data } = await request.inTenant((db) =>
        service.readDocument(db, app.storage, memberId, actId, documentId),
      );
      return sendDownload(reply, {
        type: document.mediaType,
        filename: document.filename,
        body: data,
        headers: { 'cache-control': 'private, no-store' },
      });
    },
  );

  type ActRef = z.infer<typeof actParams>;
  const transition = (
    path: string,
    summary: string,
    status: 200 | 202,
    run: (params: ActRef, request: FastifyRequest) => Promise<ActDetail>,
    access = write,
  ) =>
    r.post(
      `/members/:memberId/acts/:actId/${path}`,
      {
        config: { access },
        schema: { tags: TAGS, summary, params: actParams, response: { [status]: actDetailSchema } },
      },
      async (request, reply) => {
        const detail = await run(request.params, request);
        return reply.code(status).send(detail);
      },
    );

  transition('ready', "Marquer l'acte prêt à transmettre", 200, ({ memberId, actId }, request) =>
    request.inTenant((db) => service.markReady(db, memberId, actId, auditSource(request))),
  );
  transition(
    'transmit',
    'Transmettre au contrôle de légalité (service « Télétransmission des actes » requis)',
    202,
    ({ memberId, actId }, request) =>
      request.inTenant((db) => transmission.transmit(db, memberId, actId, auditSource(request))),
    transmit,
  );
  transition(
    'publish',
    "Publier l'acte (mention de publication apposée, empreinte SHA-256 ; définitif)",
    200,
    ({ memberId, actId }, request) =>
      request.inTenant((db) => publication.publish(db, app.storage, memberId, actId, auditSource(request))),
  );
  transition('cancel', "Annuler la transmission d'un acte acquitté", 200, ({ memberId, actId }, request) =>
    request.inTenant((db) =>
      transmission.cancel(db, app.actsConnector, memberId, actId, auditSource(request)),
    ),
  );
  transition(
    'retry',
    'Relancer une transmission en erreur (opérateur, périmètre dématérialisation)',
    202,
    ({ memberId, actId }, request) =>
      request.inTenant((db) => transmission.retry(db, memberId, actId, auditSource(request))),
    can(actsPolicy, 'acts:retry', param('memberId')),
  );

  r.post(
    '/members/:memberId/acts/:actId/messages/:messageId/answer',
    {
      config: { access: write },
      schema: {
        tags: TAGS,
        summary: 'Répondre à une demande de pièces complémentaires (multipart : un ou plusieurs « file »)',
        consumes: ['multipart/form-data'],
        params: messageParams,
        response: { 200: actDetailSchema },
      },
    },
    async (request) => {
      const { memberId, actId, messageId } = request.params;
      const upload = await readUpload(request, 10);
      if (upload.files.length === 0) {
        throw invalid('Joignez au moins une pièce (champ « file »).', [
          { path: 'body.file', message: 'fichier manquant ou vide' },
        ]);
      }
      return request.inTenant((db) =>
        transmission.answerMessage(
          db,
          app.storage,
          app.actsConnector,
          memberId,
          actId,
          messageId,
          upload.files,
          auditSource(request),
        ),
      );
    },
  );

  // Public portal and open data -----------------------------------------------------------------
  r.get(
    '/public/members/:memberId/acts',
    {
      config: { access: 'public' },
      schema: {
        tags: PUBLIC_TAGS,
        summary: 'Actes publiés de la structure (sans connexion ; recherche sans accents ni majuscules)',
        params: memberParams,
        querystring: publicActListQuerySchema,
        response: { 200: publicActListSchema },
      },
    },
    async (request, reply) => {
      // JSON text of publicActListSchema's shape built by the statement (acts.test.ts checks it), sent
      // as it is, neither parsed nor serialised again.
      const body = await request.inTenant((db) =>
        service.publicActsText(db, request.params.memberId, request.query),
      );
      return reply.type('application/json; charset=utf-8').send(body as unknown as PublicActList);
    },
  );

  r.get(
    '/public/members/:memberId/acts/:actId/document',
    {
      config: { access: 'public' },
      schema: {
        tags: PUBLIC_TAGS,
        summary: "L'acte publié (PDF portant la mention de publication)",
        params: actParams,
        response: { 200: file('Fichier PDF') },
      },
    },
    async (request, reply) => {
      const { memberId, actId } = request.params;
      const { fileName, data } = await request.inTenant((db) =>
        service.readPublishedDocument(db, app.storage, memberId, actId),
      );
      return sendDownload(reply, {
        type: 'application/pdf',
        filename: fileName,
        body: data,
        inline: true,
        headers: { 'cache-control': 'public, max-age=3600' },
      });
    },
  );

  r.get(
    '/public/members/:memberId/acts.csv',
    {
      config: { access: 'public' },
      schema: {
        tags: PUBLIC_TAGS,
        summary: 'Délibérations publiées de la structure, au schéma SCDL « Délibérations » (CSV)',
        params: memberParams,
        response: { 200: file('Fichier CSV') },
      },
    },
    async (request, reply) => {
      const csv = await request.inTenant((db) =>
        publication.scdlCsv(db, app.config.publicUrl, request.params.memberId),
      );
      return sendDownload(reply, {
        type: 'text/csv; charset=utf-8',
        filename: 'deliberations.csv',
        body: csv.csv,
        headers: { 'x-omitted-rows': String(csv.omitted.length) },
      });
    },
  );

  r.get(
    '/public/acts.csv',
    {
      config: { access: 'public' },
      schema: {
        tags: PUBLIC_TAGS,
        summary: 'Délibérations publiées de toutes les structures, au schéma SCDL « Délibérations » (CSV)',
        response: { 200: file('Fichier CSV') },
      },
    },
    async (request, reply) => {
      const csv = await request.inTenant((db) => publication.scdlCsv(db, app.config.publicUrl, null));
      return sendDownload(reply, {
        type: 'text/csv; charset=utf-8',
        filename: 'deliberations.csv',
        body: csv.csv,
        headers: { 'x-omitted-rows': String(csv.omitted.length) },
      });
    },
  );

  // Operator (scope demat) ----------------------------------------------------------------------
  const overview = can(actsPolicy, 'acts:overview');
  r.get(
    '/acts/transmissions',
    {
      config: { access: overview },
      schema: {
        tags: TAGS,
        summary: 'Transmissions de toutes les structures (filtres : statut, structure)',
        querystring: transmissionOverviewQuerySchema,
        response: { 200: transmissionListSchema },
      },
    },
    async (request) => request.inTenant((db) => operator.listTransmissions(db, request.query)),
  );

  r.get(
    '/acts/volumes',
    {
      config: { access: overview },
      schema: {
        tags: TAGS,
        summary: 'Volumes : actes par statut, transmissions par mois sur douze mois',
        response: { 200: transmissionVolumesSchema },
      },
    },
    async (request) => request.inTenant((db) => operator.volumes(db)),
  );
}

/** An act's upload: up to `maxFiles` non-empty files, and the text fields. */
async function readUpload(request: FastifyRequest, maxFiles: number) {
  const upload = await readMultipart(request, {
    what: 'la pièce',
    maxFiles,
    maxBytes: Math.min(ACT_DOCUMENT_MAX_BYTES, request.server.config.UPLOAD_MAX_BYTES),
    tooLargeAdvice: 'Réduisez-le puis réessayez.',
  });
  return { fields: upload.fields, files: upload.files.filter((file) => file.data.length > 0) };
}
