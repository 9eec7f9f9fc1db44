import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  attendanceInputSchema,
  memberTrainingListSchema,
  publicSurveySchema,
  serviceLevelInputSchema,
  serviceLevelListSchema,
  serviceLevelParams,
  serviceLevelSchema,
  sessionRegistrationListSchema,
  surveyAnswerSchema,
  surveyResultsSchema,
  surveyTokenParams,
  trainingReportExportQuerySchema,
  trainingReportQuerySchema,
  trainingReportSchema,
} from '../../../contracts/support-training.js';
import { auditSource } from '../../platform/audit/audit.js';
import { sendSpreadsheet } from '../../platform/export/spreadsheet.js';
import { actorOf, can, param } from '../../platform/http/access.js';
import { sendDownload } from '../../platform/http/download.js';
import * as attendance from './support.attendance.service.js';
import * as levels from './support.levels.service.js';
import { supportPolicy } from './support.policy.js';
import type { TrainingDeps } from './support.training.service.js';
import * as reports from './support.training-reports.service.js';

const TAGS = ['formations'];
const sessionParams = z.object({ sessionId: z.uuid({ message: 'identifiant de session invalide' }) });
const registrationParams = z.object({
  registrationId: z.uuid({ message: "identifiant d'inscription invalide" }),
});
const memberParams = z.object({ memberId: z.uuid({ message: 'identifiant de structure invalide' }) });
const team = can(supportPolicy, 'support:operate');

/**
 * After a training session (issue 14, §3): attendance, certificates, the satisfaction survey through
 * the attendee's link, the training reports; and the service levels the support team edits.
 */
export default async function attendanceRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const deps = (): TrainingDeps => ({ mailer: app.mailer, publicUrl: app.config.publicUrl });

  r.get(
    '/trainings/sessions/:sessionId/registrations',
    {
      config: { access: team },
      schema: {
        tags: TAGS,
        summary: 'Les inscrits d’une session, avec leur présence',
        params: sessionParams,
        response: { 200: sessionRegistrationListSchema },
      },
    },
    async (request) =>
      request.inTenant((db) => attendance.listSessionRegistrations(db, request.params.sessionId)),
  );
  r.put(
    '/trainings/sessions/:sessionId/attendance',
    {
      config: { access: team },
      schema: {
        tags: TAGS,
        summary: 'Saisir les présences (les présents reçoivent questionnaire et attestation)',
        params: sessionParams,
        body: attendanceInputSchema,
        response: { 200: sessionRegistrationListSchema },
      },
    },
    async (request) =>
      request.inTenant((db) =>
        attendance.recordAttendance(db, deps(), request.params.sessionId, request.body, auditSource(request)),
      ),
  );
  r.get(
    '/trainings/sessions/:sessionId/survey-results',
    {
      config: { access: team },
      schema: {
        tags: TAGS,
        summary: 'Les réponses au questionnaire de satisfaction d’une session',
        params: sessionParams,
        response: { 200: surveyResultsSchema },
      },
    },
    async (request) => request.inTenant((db) => attendance.surveyResults(db, request.params.sessionId)),
  );
  r.get(
    '/trainings/registrations/:registrationId/certificate.pdf',
    {
      config: { access: 'signed-in' },
      schema: { tags: TAGS, summary: 'Attestation de présence (PDF)', params: registrationParams },
    },
    async (request, reply) => {
      const actor = actorOf(request);
      const { pdf, fileName } = await request.inTenant((db) =>
        attendance.registrationCertificate(db, request.params.registrationId, (memberId) =>
          supportPolicy(actor, 'support:tickets', memberId),
        ),
      );
      return sendDownload(reply, { type: 'application/pdf', filename: fileName, body: pdf });
    },
  );
  r.get(
    '/members/:memberId/trainings',
    {
      config: { access: can(supportPolicy, 'support:tickets', param('memberId')) },
      schema: {
        tags: TAGS,
        summary: 'Les inscriptions de la structure aux formations, et ses attestations',
        params: memberParams,
        response: { 200: memberTrainingListSchema },
      },
    },
    async (request) => request.inTenant((db) => attendance.memberTrainings(db, request.params.memberId)),
  );

  // The attendee's personal link: the token is the proof.
  const linkConfig = { access: 'public' as const, anonymousRead: false };
  r.get(
    '/trainings/surveys/:token',
    {
      config: linkConfig,
      schema: {
        tags: TAGS,
        summary: 'Ouvrir son questionnaire de satisfaction',
        params: surveyTokenParams,
        response: { 200: publicSurveySchema },
      },
    },
    async (request) => request.inTenant((db) => attendance.openSurvey(db, request.params.token)),
  );
  r.post(
    '/trainings/surveys/:token',
    {
      config: linkConfig,
      schema: {
        tags: TAGS,
        summary: 'Répondre au questionnaire (une seule fois)',
        params: surveyTokenParams,
        body: surveyAnswerSchema,
        response: { 200: publicSurveySchema },
      },
    },
    async (request) =>
      request.inTenant((db) => attendance.answerSurvey(db, request.params.token, request.body)),
  );
  r.get(
    '/trainings/surveys/:token/certificate.pdf',
    {
      config: linkConfig,
      schema: { tags: TAGS, summary: 'Son attestation de présence (PDF)', params: surveyTokenParams },
    },
    async (request, reply) => {
      const { pdf, fileName } = await request.inTenant((db) =>
        attendance.surveyCertificate(db, request.params.token),
      );
      return sendDownload(reply, { type: 'application/pdf', filename: fileName, body: pdf });
    },
  );

  r.get(
    '/trainings/reports',
    {
      config: { access: team },
      schema: {
        tags: TAGS,
        summary: 'Bilan des formations sur une période',
        querystring: trainingReportQuerySchema,
        response: { 200: trainingReportSchema },
      },
    },
    async (request) => request.inTenant((db) => reports.trainingReport(db, request.query)),
  );
  r.get(
    '/trainings/reports/export',
    {
      config: { access: team },
      schema: {
        tags: TAGS,
        summary: 'Une partie du bilan des formations en CSV ou XLSX',
        querystring: trainingReportExportQuerySchema,
      },
    },
    async (request, reply) => {
      const { from, to, part, format } = request.query;
      const report = await request.inTenant((db) => reports.trainingReport(db, { from, to }));
      const { sheet, rows } = reports.reportSheet(report, part);
      return sendSpreadsheet(reply, format, `formations-${part}-${from}-${to}`, sheet, rows);
    },
  );

  // Service levels (the support team's page).
  r.get(
    '/support/service-levels',
    {
      config: { access: team },
      schema: {
        tags: ['assistance'],
        summary: 'Niveaux de service par service et priorité',
        response: { 200: serviceLevelListSchema },
      },
    },
    async (request) => request.inTenant((db) => levels.listServiceLevels(db)),
  );
  r.put(
    '/support/service-levels/:serviceId/:priority',
    {
      config: { access: team },
      schema: {
        tags: ['assistance'],
        summary: 'Fixer le niveau de service d’un service pour une priorité',
        params: serviceLevelParams,
        body: serviceLevelInputSchema,
        response: { 200: serviceLevelSchema },
      },
    },
    async (request) =>
      request.inTenant((db) =>
        levels.setServiceLevel(
          db,
          request.params.serviceId,
          request.params.priority,
          request.body,
          auditSource(request),
        ),
      ),
  );
}
