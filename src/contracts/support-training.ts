import { z } from 'zod';
import { inYears, yearsMessage } from './common.js';
import { TICKET_PRIORITIES } from './support.js';

/**
 * After a training session (issue 14, §3), and the support team's editing of its own reference data.
 *
 * Routes (under /api/v1):
 *   PUT    /trainings/sessions/:sessionId                    trainingSessionUpdateSchema → trainingSessionSchema
 *          (the whole session: every field required, null to empty one; see
 *          SESSION_FIELDS_REQUIRED_ON_UPDATE)
 *   GET    /trainings/sessions/:sessionId/registrations      → sessionRegistrationListSchema (the team)
 *   PUT    /trainings/sessions/:sessionId/attendance         attendanceInputSchema → sessionRegistrationListSchema
 *   GET    /trainings/sessions/:sessionId/survey-results     → surveyResultsSchema (the team)
 *   GET    /trainings/registrations/:registrationId/certificate.pdf   the attendee's certificate
 *   GET    /members/:memberId/trainings                      → memberTrainingListSchema (the member's people)
 *   GET    /trainings/surveys/:token                         → publicSurveySchema (the attendee's link)
 *   POST   /trainings/surveys/:token                         surveyAnswerSchema → publicSurveySchema (once)
 *   GET    /trainings/surveys/:token/certificate.pdf         the certificate, through the same link
 *   GET    /trainings/reports                                trainingReportQuerySchema → trainingReportSchema
 *   GET    /trainings/reports/export                         trainingReportExportQuerySchema → CSV | XLSX
 *   PUT    /support/articles/:articleId                      articleUpdateSchema → articleSchema (serviceId required, null for none; visibility required)
 *   DELETE /support/articles/:articleId                      → 204
 *   GET    /support/service-levels                           → serviceLevelListSchema (the team)
 *   PUT    /support/service-levels/:serviceId/:priority      serviceLevelInputSchema → serviceLevelSchema
 */

// Attendance and certificates ----------------------------------------------------------------------

export const attendanceInputSchema = z.object({
  attendance: z
    .array(
      z.object({
        registrationId: z.uuid({ message: "identifiant d'inscription invalide" }),
        attended: z.boolean({ message: 'présent : vrai ou faux attendu' }),
      }),
      { message: 'La liste des présences est obligatoire' },
    )
    .min(1, 'Indiquez au moins une présence')
    .max(10_000, 'Au plus 10 000 présences'),
});
export type AttendanceInput = z.input<typeof attendanceInputSchema>;

export const sessionRegistrationSchema = z.object({
  id: z.uuid(),
  memberId: z.uuid(),
  memberName: z.string(),
  name: z.string(),
  email: z.string(),
  status: z.enum(['confirmed', 'waitlisted', 'cancelled']),
  /** Null until the attendance is recorded. */
  attended: z.boolean().nullable(),
  surveyAnswered: z.boolean(),
  createdAt: z.string(),
});
export type SessionRegistration = z.infer<typeof sessionRegistrationSchema>;
export const sessionRegistrationListSchema = z.object({
  items: z.array(sessionRegistrationSchema),
  /** When the attendance was last recorded (null: not yet). */
  attendanceRecordedAt: z.string().nullable(),
});
export type SessionRegistrationList = z.infer<typeof sessionRegistrationListSchema>;

export const memberTrainingSchema = z.object({
  registrationId: z.uuid(),
  sessionId: z.uuid(),
  title: z.string(),
  startsAt: z.string(),
  endsAt: z.string(),
  place: z.string(),
  name: z.string(),
  email: z.string(),
  status: z.enum(['confirmed', 'waitlisted', 'cancelled']),
  attended: z.boolean().nullable(),
  /** Attended: the certificate of attendance may be downloaded. */
  certificateAvailable: z.boolean(),
});
export type MemberTraining = z.infer<typeof memberTrainingSchema>;
export const memberTrainingListSchema = z.object({ items: z.array(memberTrainingSchema) });

// Satisfaction survey ------------------------------------------------------------------------------

export const USEFULNESS_LEVELS = ['very', 'rather', 'little', 'not'] as const;
export type Usefulness = (typeof USEFULNESS_LEVELS)[number];
export const USEFULNESS_LABELS: Record<Usefulness, string> = {
  very: 'Très utile',
  rather: 'Plutôt utile',
  little: 'Peu utile',
  not: 'Pas utile',
};
export const OVERALL_LABELS: Record<number, string> = {
  1: '1 — Très insatisfait',
  2: '2 — Insatisfait',
  3: '3 — Moyennement satisfait',
  4: '4 — Satisfait',
  5: '5 — Très satisfait',
};

export const surveyTokenParams = z.object({
  token: z.string().regex(/^[A-Za-z0-9_-]{20,128}$/, 'lien invalide'),
});

export const surveyAnswerSchema = z.object({
  overall: z
    .number({ message: 'La note globale est une note de 1 à 5' })
    .int('La note globale est une note de 1 à 5')
    .min(1, 'La note globale est une note de 1 à 5')
    .max(5, 'La note globale est une note de 1 à 5'),
  usefulness: z.enum(USEFULNESS_LEVELS, { message: 'Dites si la formation vous sera utile' }),
  comment: z.string().trim().max(2_000, 'Le commentaire compte au plus 2000 caractères').optional(),
});
export type SurveyAnswer = z.input<typeof surveyAnswerSchema>;

export const publicSurveySchema = z.object({
  sessionTitle: z.string(),
  startsAt: z.string(),
  endsAt: z.string(),
  place: z.string(),
  name: z.string(),
  answeredAt: z.string().nullable(),
  certificateAvailable: z.boolean(),
});
export type PublicSurvey = z.infer<typeof publicSurveySchema>;

export const surveyResultsSchema = z.object({
  sessionId: z.uuid(),
  /** Attendees who received the link. */
  invited: z.number().int(),
  answered: z.number().int(),
  overallAverage: z.number().nullable(),
  /** Answers per overall mark, index 0 for 1 … index 4 for 5. */
  overallCounts: z.array(z.number().int()),
  usefulnessCounts: z.record(z.enum(USEFULNESS_LEVELS), z.number().int()),
  comments: z.array(z.object({ overall: z.number().int(), comment: z.string(), answeredAt: z.string() })),
});
export type SurveyResults = z.infer<typeof surveyResultsSchema>;

// Reports ------------------------------------------------------------------------------------------

const isoDate = (label: string) =>
  z.iso
    .date({ message: `${label} : date AAAA-MM-JJ attendue`, abort: true })
    .refine(inYears, `${label} : ${yearsMessage}`);

export const trainingReportQuerySchema = z
  .object({ from: isoDate('Début de période'), to: isoDate('Fin de période') })
  .refine((q) => q.from <= q.to, { message: 'La fin de période doit suivre son début', path: ['to'] });
export type TrainingReportQuery = z.infer<typeof trainingReportQuerySchema>;

export const TRAINING_REPORT_PARTS = ['territories', 'sessions', 'waiting'] as const;
export type TrainingReportPart = (typeof TRAINING_REPORT_PARTS)[number];
export const TRAINING_REPORT_PART_LABELS: Record<TrainingReportPart, string> = {
  territories: 'Personnes formées par département et type de structure',
  sessions: 'Remplissage des sessions',
  waiting: "Listes d'attente",
};

export const trainingReportExportQuerySchema = z
  .object({
    from: isoDate('Début de période'),
    to: isoDate('Fin de période'),
    part: z.enum(TRAINING_REPORT_PARTS, { message: 'Partie du rapport inconnue' }),
    format: z.enum(['csv', 'xlsx'], { message: 'Format inconnu : csv ou xlsx' }).default('csv'),
  })
  .refine((q) => q.from <= q.to, { message: 'La fin de période doit suivre son début', path: ['to'] });

export const trainingReportSchema = z.object({
  from: z.string(),
  to: z.string(),
  /** People (distinct addresses) and members who attended, per member's département and kind. */
  territories: z.array(
    z.object({
      departementCode: z.string().nullable(),
      memberKind: z.string(),
      people: z.number().int(),
      members: z.number().int(),
    }),
  ),
  /** Every session that started in the period. */
  sessions: z.array(
    z.object({
      id: z.uuid(),
      title: z.string(),
      startsAt: z.string(),
      departementCode: z.string().nullable(),
      remote: z.boolean(),
      capacity: z.number().int(),
      confirmed: z.number().int(),
      waitlisted: z.number().int(),
      /** Null until the attendance is recorded. */
      attended: z.number().int().nullable(),
      /** Confirmed / capacity (0–1). */
      fillRate: z.number(),
      surveyAnswers: z.number().int(),
      overallAverage: z.number().nullable(),
    }),
  ),
  /**
   * People left on waiting lists per training title and département of their member, the largest
   * first: where a new session would fill.
   */
  waitingLists: z.array(
    z.object({
      title: z.string(),
      departementCode: z.string().nullable(),
      waitlisted: z.number().int(),
      members: z.number().int(),
      sessions: z.number().int(),
    }),
  ),
});
export type TrainingReport = z.infer<typeof trainingReportSchema>;

// Service levels -----------------------------------------------------------------------------------

const minutes = (label: string) =>
  z
    .number({ message: `${label} : un nombre de minutes ouvrées` })
    .int(`${label} : un nombre entier de minutes`)
    .min(1, `${label} : au moins une minute`)
    .max(60 * 24 * 365, `${label} : au plus un an`);

export const serviceLevelInputSchema = z
  .object({
    firstResponseMinutes: minutes('Le délai de première réponse'),
    resolutionMinutes: minutes('Le délai de résolution'),
  })
  .refine((l) => l.resolutionMinutes >= l.firstResponseMinutes, {
    message: 'Le délai de résolution ne peut être plus court que celui de première réponse',
    path: ['resolutionMinutes'],
  });
export type ServiceLevelInput = z.input<typeof serviceLevelInputSchema>;

export const serviceLevelParams = z.object({
  serviceId: z.uuid({ message: 'identifiant de service invalide' }),
  priority: z.enum(TICKET_PRIORITIES, { message: 'Priorité inconnue' }),
});

export const serviceLevelSchema = z.object({
  serviceId: z.uuid(),
  serviceName: z.string(),
  priority: z.enum(TICKET_PRIORITIES),
  firstResponseMinutes: z.number().int(),
  resolutionMinutes: z.number().int(),
  /** No level set for this service and priority: the platform's default applies. */
  isDefault: z.boolean(),
});
export type ServiceLevel = z.infer<typeof serviceLevelSchema>;
export const serviceLevelListSchema = z.object({ items: z.array(serviceLevelSchema) });
