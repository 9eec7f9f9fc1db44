import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { problemSchema } from '../../../contracts/common.js';
import {
  memberImportQuerySchema,
  memberImportRefusedSchema,
  memberImportResponseSchema,
} from '../../../contracts/members-import.js';
import { auditSource } from '../../platform/audit/audit.js';
import { can } from '../../platform/http/access.js';
import { readOneFile } from '../../platform/http/multipart.js';
import { importMembers } from './members.import.js';
import { memberPolicy } from './members.policy.js';

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
      config: {
        access: can(
          memberPolicy,
          'members:import',
          undefined,
          "Seuls les administrateurs de l'opérateur peuvent importer des structures.",
        ),
      },
      schema: {
        tags: ['members'],
        summary: 'Importer des structures adhérentes depuis un fichier CSV',
        description:
          "Fichier CSV (séparateur ; ou , — UTF-8 avec ou sans BOM, ou Windows-1252) envoyé en multipart/form-data dans le champ `file`. Avec `dryRun=true`, rien n'est enregistré : la réponse est le rapport de vérification. Sinon le fichier est vérifié à nouveau puis enregistré en entier, ou pas du tout (422 avec le rapport).",
        consumes: ['multipart/form-data'],
        querystring: memberImportQuerySchema,
        body: memberImportUploadSchema,
        response: {
          200: memberImportResponseSchema,
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
      const { data: bytes } = await readOneFile(request, { what: 'le fichier CSV' });
      const { dryRun } = request.query;
      return request.inTenant((tx) => importMembers(tx, bytes, { dryRun }, auditSource(request)));
    },
  );
}
