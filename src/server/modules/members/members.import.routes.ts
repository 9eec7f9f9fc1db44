import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { problemSchema } from '../../../contracts/common.js';
import {
  memberImportCommittedSchema,
  memberImportQuerySchema,
  memberImportRefusedSchema,
  memberImportReportSchema,
} from '../../../contracts/members-import.js';
import { auditSource, recordAudit } from '../../platform/audit/audit.js';
import { authorise, requireActor } from '../../platform/auth/context.js';
import { withTenant } from '../../platform/db/tenancy.js';
import { conflict, DomainError, invalid } from '../../platform/errors.js';
import { canImportMembers, importMembers } from './members.import.js';

const UNIQUE_VIOLATION = '23505';

/**
 * Documents the upload in OpenAPI. The multipart plugin leaves the body unparsed (the file is streamed
 * by `request.file()`): the handler checks the file itself.
 */
const memberImportUploadSchema = z.any().meta({
  type: 'object',
  properties: { file: { type: 'string', format: 'binary', description: 'le fichier CSV' } },
  required: ['file'],
});

export default async function membersImportRoutes(app: FastifyInstance) {
  app.withTypeProvider<ZodTypeProvider>().post(
    '/members/import',
    {
      schema: {
        tags: ['members'],
        summary: 'Importer des structures adhérentes depuis un fichier CSV',
        description:
          "Fichier CSV (séparateur ; ou , — UTF-8 avec ou sans BOM, ou Windows-1252) envoyé en multipart/form-data dans le champ `file`. Avec `dryRun=true`, rien n'est enregistré : la réponse est le rapport de vérification. Sinon le fichier est vérifié à nouveau puis enregistré en entier, ou pas du tout (422 avec le rapport).",
        consumes: ['multipart/form-data'],
        querystring: memberImportQuerySchema,
        body: memberImportUploadSchema,
        response: {
          200: z.discriminatedUnion('dryRun', [memberImportReportSchema, memberImportCommittedSchema]),
          400: problemSchema,
          401: problemSchema,
          403: problemSchema,
          409: problemSchema,
          413: problemSchema,
          422: memberImportRefusedSchema,
        },
      },
    },
    async (request) => {
      const actor = requireActor(request);
      authorise(
        canImportMembers(actor),
        "Seuls les administrateurs de l'opérateur peuvent importer des structures.",
      );
      const bytes = await readUploadedFile(request);
      const { dryRun } = request.query;

      try {
        return await withTenant(app.database.db, request.tenant, async (tx) => {
          const outcome = await importMembers(tx, bytes, { dryRun, actorUserId: actor.userId });
          if (outcome.kind === 'report') return outcome.report;
          if (outcome.kind === 'refused') {
            const count = outcome.report.totalLines - outcome.report.validLines;
            throw new DomainError(
              'unprocessable',
              'Import refusé',
              `Aucune structure n'a été enregistrée : le fichier comporte ${outcome.report.errors.length} erreur(s)${count > 0 ? ` sur ${count} ligne(s)` : ''}. Corrigez-les puis importez à nouveau le fichier.`,
              undefined,
              { ...outcome.report, dryRun: false },
            );
          }
          await recordAudit(tx, {
            action: 'members.imported',
            ...auditSource(request),
            targetType: 'organisation',
            details: { created: outcome.created },
          });
          return { dryRun: false as const, created: outcome.created };
        });
      } catch (error: any) {
        if ((error?.code ?? error?.cause?.code) === UNIQUE_VIOLATION) {
          throw conflict(
            "Une structure du fichier vient d'être enregistrée par ailleurs : relancez la vérification du fichier.",
          );
        }
        throw error;
      }
    },
  );
}

async function readUploadedFile(request: FastifyRequest): Promise<Buffer> {
  if (!request.isMultipart()) {
    throw invalid('Envoyez le fichier CSV en multipart/form-data dans le champ « file ».', [
      { path: 'body.file', message: 'fichier manquant' },
    ]);
  }
  const part = await request.file();
  if (part?.fieldname !== 'file') {
    throw invalid('Aucun fichier reçu : joignez le fichier CSV dans le champ « file ».', [
      { path: 'body.file', message: 'fichier manquant' },
    ]);
  }
  const bytes = await part.toBuffer();
  if (bytes.length === 0) {
    throw invalid('Le fichier envoyé est vide.', [{ path: 'body.file', message: 'fichier vide' }]);
  }
  return bytes;
}
