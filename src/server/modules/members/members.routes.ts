import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { listOf } from '../../../contracts/common.js';
import {
  contactInputSchema,
  contactPatchSchema,
  contactSchema,
  documentUploadFieldsSchema,
  memberDetailSchema,
  memberDocumentSchema,
  memberFiltersSchema,
  memberInputSchema,
  memberListQuerySchema,
  memberListSchema,
  memberPatchSchema,
  memberStatsSchema,
  membershipEventSchema,
  transitionInputSchema,
} from '../../../contracts/members.js';
import { auditSource } from '../../platform/audit/audit.js';
import { authorise, isOperatorAdmin, requireActor } from '../../platform/auth/context.js';
import type { Tx } from '../../platform/db/client.js';
import { withTenant } from '../../platform/db/tenancy.js';
import { DomainError, type FieldError, invalid } from '../../platform/errors.js';
import { attachment, sendSpreadsheet } from '../../platform/export/spreadsheet.js';
import { MEMBERS_SHEET } from './members.export.js';
import { type MemberAction, memberPolicy } from './members.policy.js';
import * as service from './members.service.js';
import { memberTotals } from './members.totals.js';

const TAGS = ['adhérents'];
const memberParams = z.object({ memberId: z.uuid({ message: 'identifiant de structure invalide' }) });
const contactParams = memberParams.extend({
  contactId: z.uuid({ message: 'identifiant de contact invalide' }),
});
const documentParams = memberParams.extend({
  documentId: z.uuid({ message: 'identifiant de document invalide' }),
});

/** 401 for anonymous visitors, 403 when the policy says no. */
function allow(request: FastifyRequest, action: MemberAction, memberId?: string) {
  const actor = requireActor(request);
  authorise(memberPolicy(actor, action, memberId));
  return actor;
}

export default async function membersRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tx = <T>(request: FastifyRequest, work: (db: Tx) => Promise<T>) =>
    withTenant(app.database.db, request.tenant, work);
  const totals = memberTotals(app);

  r.get(
    '/members',
    {
      config: { publicCache: ['members'] },
      schema: {
        tags: TAGS,
        summary: 'Lister et rechercher les structures adhérentes (public)',
        querystring: memberListQuerySchema,
        response: { 200: memberListSchema },
      },
    },
    async (request) => tx(request, (db) => service.listMembers(db, request.query, totals)),
  );

  r.get(
    '/members/stats',
    {
      config: { publicCache: ['members', 'territory'] },
      schema: {
        tags: TAGS,
        summary:
          'Adhérents par département et par type, population couverte (public) ; étapes en attente (opérateur)',
        response: { 200: memberStatsSchema },
      },
    },
    async (request) =>
      tx(request, (db) =>
        service.memberStats(db, app.config.regions, memberPolicy(request.actor, 'members:readPending')),
      ),
  );

  const exportRoute = (format: 'csv' | 'xlsx') =>
    r.get(
      `/members/export.${format}`,
      {
        schema: {
          tags: TAGS,
          summary:
            format === 'csv'
              ? 'Exporter la liste filtrée en CSV (UTF-8, séparateur ;) — opérateur'
              : 'Exporter la liste filtrée en classeur XLSX — opérateur',
          querystring: memberFiltersSchema,
          response: { 200: z.any().describe(format === 'csv' ? 'Fichier CSV' : 'Classeur XLSX') },
        },
      },
      async (request, reply) => {
        allow(request, 'members:export');
        const rows = await tx(request, (db) => service.exportRows(db, request.query));
        const stamp = new Date().toISOString().slice(0, 10);
        return sendSpreadsheet(reply, format, `adherents-${stamp}`, MEMBERS_SHEET, rows);
      },
    );
  exportRoute('csv');
  exportRoute('xlsx');

  r.get(
    '/members/:memberId',
    {
      config: { publicCache: ['members', 'territory'] },
      schema: {
        tags: TAGS,
        summary: "Fiche d'une structure : champs publics, et privés pour l'opérateur et ses utilisateurs",
        params: memberParams,
        response: { 200: memberDetailSchema },
      },
    },
    async (request) => {
      const { memberId } = request.params;
      const withPrivate = memberPolicy(request.actor, 'members:readPrivate', memberId);
      return tx(request, (db) => service.getMember(db, memberId, withPrivate));
    },
  );

  r.post(
    '/members',
    {
      schema: {
        tags: TAGS,
        summary: 'Créer une structure (administrateur de l’opérateur)',
        body: memberInputSchema,
        response: { 201: memberDetailSchema },
      },
    },
    async (request, reply) => {
      allow(request, 'members:create');
      const member = await tx(request, (db) => service.createMember(db, request.body, auditSource(request)));
      return reply.code(201).send(member);
    },
  );

  r.patch(
    '/members/:memberId',
    {
      schema: {
        tags: TAGS,
        summary:
          'Modifier une structure (opérateur ; l’administrateur de la structure modifie ses coordonnées)',
        params: memberParams,
        body: memberPatchSchema,
        response: { 200: memberDetailSchema },
      },
    },
    async (request) => {
      const { memberId } = request.params;
      const actor = allow(request, 'members:updateOwnDetails', memberId);
      const mode = isOperatorAdmin(actor) ? 'operator' : 'self';
      return tx(request, (db) =>
        service.updateMember(db, memberId, request.body, mode, auditSource(request)),
      );
    },
  );

  // Contacts ------------------------------------------------------------------------------------

  r.get(
    '/members/:memberId/contacts',
    {
      schema: {
        tags: TAGS,
        summary: 'Contacts de la structure (privé)',
        params: memberParams,
        response: { 200: listOf(contactSchema) },
      },
    },
    async (request) => {
      const { memberId } = request.params;
      allow(request, 'contacts:read', memberId);
      return tx(request, (db) => service.listContacts(db, memberId));
    },
  );

  r.post(
    '/members/:memberId/contacts',
    {
      schema: {
        tags: TAGS,
        summary: 'Ajouter un contact',
        params: memberParams,
        body: contactInputSchema,
        response: { 201: contactSchema },
      },
    },
    async (request, reply) => {
      const { memberId } = request.params;
      allow(request, 'contacts:write', memberId);
      const contact = await tx(request, (db) =>
        service.createContact(db, memberId, request.body, auditSource(request)),
      );
      return reply.code(201).send(contact);
    },
  );

  r.patch(
    '/members/:memberId/contacts/:contactId',
    {
      schema: {
        tags: TAGS,
        summary: 'Modifier un contact',
        params: contactParams,
        body: contactPatchSchema,
        response: { 200: contactSchema },
      },
    },
    async (request) => {
      const { memberId, contactId } = request.params;
      allow(request, 'contacts:write', memberId);
      return tx(request, (db) =>
        service.updateContact(db, memberId, contactId, request.body, auditSource(request)),
      );
    },
  );

  r.delete(
    '/members/:memberId/contacts/:contactId',
    {
      schema: {
        tags: TAGS,
        summary: 'Supprimer un contact',
        params: contactParams,
        response: { 204: z.null().describe('Contact supprimé') },
      },
    },
    async (request, reply) => {
      const { memberId, contactId } = request.params;
      allow(request, 'contacts:write', memberId);
      await tx(request, (db) => service.deleteContact(db, memberId, contactId, auditSource(request)));
      return reply.code(204).send(null);
    },
  );

  // Documents -----------------------------------------------------------------------------------

  r.get(
    '/members/:memberId/documents',
    {
      schema: {
        tags: TAGS,
        summary: 'Documents de la structure : délibérations, conventions… (privé)',
        params: memberParams,
        response: { 200: listOf(memberDocumentSchema) },
      },
    },
    async (request) => {
      const { memberId } = request.params;
      allow(request, 'documents:read', memberId);
      return tx(request, (db) => service.listDocuments(db, memberId));
    },
  );

  r.post(
    '/members/:memberId/documents',
    {
      schema: {
        tags: TAGS,
        summary: 'Déposer un document PDF (multipart/form-data : file, kind, title, documentDate)',
        consumes: ['multipart/form-data'],
        params: memberParams,
        response: { 201: memberDocumentSchema },
      },
    },
    async (request, reply) => {
      const { memberId } = request.params;
      allow(request, 'documents:write', memberId);
      const { fields, file } = await readUpload(request, app.config.UPLOAD_MAX_BYTES);
      const document = await tx(request, (db) =>
        service.uploadDocument(db, app.storage, memberId, fields, file, auditSource(request)),
      );
      return reply.code(201).send(document);
    },
  );

  r.get(
    '/members/:memberId/documents/:documentId',
    {
      schema: {
        tags: TAGS,
        summary: 'Télécharger un document (PDF)',
        params: documentParams,
        response: { 200: z.any().describe('Fichier PDF') },
      },
    },
    async (request, reply) => {
      const { memberId, documentId } = request.params;
      allow(request, 'documents:read', memberId);
      const { document, data } = await tx(request, (db) =>
        service.readDocument(db, app.storage, memberId, documentId),
      );
      return reply
        .type(document.mediaType)
        .header('content-disposition', attachment(document.fileName))
        .header('cache-control', 'private, no-store')
        .send(data);
    },
  );

  // Lifecycle -----------------------------------------------------------------------------------

  r.post(
    '/members/:memberId/transitions',
    {
      schema: {
        tags: TAGS,
        summary: "Faire avancer l'adhésion (demande, acceptation, adhésion, retrait, refus)",
        params: memberParams,
        body: transitionInputSchema,
        response: { 201: membershipEventSchema },
      },
    },
    async (request, reply) => {
      const { memberId } = request.params;
      const actor = allow(request, 'membership:request', memberId);
      const decider = memberPolicy(actor, 'membership:decide', memberId) ? 'operator' : 'member';
      const event = await tx(request, (db) =>
        service.changeMembershipStatus(db, memberId, request.body, decider, auditSource(request)),
      );
      return reply.code(201).send(event);
    },
  );

  r.get(
    '/members/:memberId/history',
    {
      schema: {
        tags: TAGS,
        summary: "Historique daté et attribué de l'adhésion (privé)",
        params: memberParams,
        response: { 200: listOf(membershipEventSchema) },
      },
    },
    async (request) => {
      const { memberId } = request.params;
      allow(request, 'history:read', memberId);
      return tx(request, (db) => service.membershipHistory(db, memberId));
    },
  );
}

/**
 * Reads a multipart upload: the `file` part and the text fields, in any order. The size limit is
 * enforced while streaming, so an oversized file is refused without being held in memory.
 */
async function readUpload(request: FastifyRequest, maxBytes: number) {
  if (!request.isMultipart()) {
    throw invalid('Envoyez le document en multipart/form-data, le fichier PDF dans le champ « file ».', [
      { path: 'body.file', message: 'fichier manquant' },
    ]);
  }
  const raw: Record<string, string> = {};
  let file: service.UploadedFile | null = null;
  try {
    for await (const part of request.parts()) {
      if (part.type === 'file') {
        const data = await part.toBuffer();
        if (part.fieldname === 'file' && !file) file = { data, fileName: part.filename };
      } else {
        raw[part.fieldname] = String(part.value);
      }
    }
  } catch (error: any) {
    if (error?.code === 'FST_REQ_FILE_TOO_LARGE') {
      const mb = Math.round((maxBytes / 1024 / 1024) * 10) / 10;
      throw new DomainError(
        'too_large',
        'Fichier trop volumineux',
        `Le fichier dépasse la taille maximale autorisée (${mb} Mo). Réduisez-le (PDF optimisé, résolution plus basse) puis réessayez.`,
        [{ path: 'body.file', message: `${mb} Mo au plus` }],
      );
    }
    throw error;
  }
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
