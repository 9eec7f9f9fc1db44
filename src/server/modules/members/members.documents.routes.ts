import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { listOf } from '../../../contracts/common.js';
import {
  documentIdParams,
  documentUploadFieldsSchema,
  memberDocumentSchema,
  memberIdParams,
} from '../../../contracts/members.js';
import { auditSource } from '../../platform/audit/audit.js';
import { type FieldError, invalid } from '../../platform/errors.js';
import { can, param } from '../../platform/http/access.js';
import { sendDownload } from '../../platform/http/download.js';
import { readUpload } from '../../platform/http/multipart.js';
import * as service from './members.documents.service.js';
import { memberPolicy } from './members.policy.js';

const TAGS = ['adhérents'];
const read = can(memberPolicy, 'documents:read', param('memberId'));

/** A member's documents (private PDF files): registered by membersRoutes. */
export default async function documentRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get(
    '/members/:memberId/documents',
    {
      config: { access: read },
      schema: {
        tags: TAGS,
        summary: 'Documents de la structure : délibérations, conventions… (privé)',
        params: memberIdParams,
        response: { 200: listOf(memberDocumentSchema) },
      },
    },
    async (request) => request.inTenant((db) => service.listDocuments(db, request.params.memberId)),
  );

  r.post(
    '/members/:memberId/documents',
    {
      config: { access: can(memberPolicy, 'documents:write', param('memberId')) },
      schema: {
        tags: TAGS,
        summary: 'Déposer un document PDF (multipart/form-data : file, kind, title, documentDate)',
        consumes: ['multipart/form-data'],
        params: memberIdParams,
        response: { 201: memberDocumentSchema },
      },
    },
    async (request, reply) => {
      const { memberId } = request.params;
      const { fields, file } = await readDocumentUpload(request);
      const document = await request.inTenant((db) =>
        service.uploadDocument(db, app.storage, memberId, fields, file, auditSource(request)),
      );
      return reply.code(201).send(document);
    },
  );

  r.get(
    '/members/:memberId/documents/:documentId',
    {
      config: { access: read },
      schema: {
        tags: TAGS,
        summary: 'Télécharger un document (PDF)',
        params: documentIdParams,
        response: { 200: z.any().describe('Fichier PDF') },
      },
    },
    async (request, reply) => {
      const { memberId, documentId } = request.params;
      const { document, data } = await request.inTenant((db) =>
        service.readDocument(db, app.storage, memberId, documentId),
      );
      return sendDownload(reply, {
        type: document.mediaType,
        filename: document.fileName,
        body: data,
        headers: { 'cache-control': 'private, no-store' },
      });
    },
  );
}

/** Reads the upload: the `file` part and the text fields, in any order, checked together. */
async function readDocumentUpload(request: FastifyRequest) {
  const { fields: raw, files } = await readUpload(request, {
    what: 'le document PDF',
    tooLargeAdvice: 'Réduisez-le (PDF optimisé, résolution plus basse) puis réessayez.',
  });
  const file = files[0];
  const parsed = documentUploadFieldsSchema.safeParse({
    ...raw,
    documentDate: raw.documentDate === '' ? null : raw.documentDate,
  });
  const errors: FieldError[] = parsed.success
    ? []
    : parsed.error.issues.map((i) => ({
        path: ['body', ...i.path.map(String)].join('.'),
        message: i.message,
      }));
  if (!file || file.data.length === 0)
    errors.push({ path: 'body.file', message: 'fichier PDF manquant ou vide' });
  if (!parsed.success || !file || errors.length > 0) {
    throw invalid(errors.map((e) => `${e.path} : ${e.message}`).join(' ; '), errors);
  }
  return { fields: parsed.data, file };
}
