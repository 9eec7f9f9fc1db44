import { z } from 'zod';
import { listOf, paginationQuery } from './common.js';

/**
 * A background job's life: `pending` (waiting for its time, first run or retry), `running` (a
 * process holds its lease), `done`, or `dead` (every attempt failed; an operator admin may retry it).
 */
export const JOB_STATES = ['pending', 'running', 'done', 'dead'] as const;
export type JobState = (typeof JOB_STATES)[number];

export const JOB_STATE_LABELS: Record<JobState, string> = {
  pending: 'En attente',
  running: 'En cours',
  done: 'Terminé',
  dead: 'Abandonné',
};

/** What the operator reads for each job name; an unknown name is shown as it is. */
export const JOB_LABELS: Record<string, string> = {
  'mail.send': 'Envoi d’un courriel',
  'webhooks.deliver': 'Livraison d’un webhook',
  'rgpd.reminders': 'Rappels RGPD quotidiens',
  'acts.transmit': 'Transmission d’un acte à la préfecture',
  'acts.poll': 'Suivi d’une transmission d’acte (accusé de réception)',
  'acts.daily': 'Actes : messages de la préfecture et classification (quotidien)',
  'accounts.password-reset': 'Lien de réinitialisation du mot de passe',
  'accounts.access-request': "Demande d'accès ProConnect signalée aux administrateurs",
  'governance.convocation': 'Envoi d’une convocation à un élu',
  'governance.convene-substitutes': 'Convocation des suppléants d’un titulaire absent',
  'cyber.advisory-notify': 'Cybersécurité : avis de sécurité envoyé aux structures concernées',
  'cyber.incident-reminder': 'Cybersécurité : rappel d’échéance d’un incident (NIS 2)',
  'hosting.monitors.tick': 'Hébergement : sondes à lancer (chaque minute)',
  'hosting.monitor.check': 'Hébergement : vérification d’un lot de sondes',
  'hosting.checks.downsample': 'Hébergement : regroupement des mesures de plus de 30 jours',
  'hosting.status.notify': 'Hébergement : abonnés prévenus d’un incident ou d’une maintenance',
  'hosting.status.rebuild':
    'Hébergement : page d’état publique recalculée (minuit, début ou fin de maintenance)',
  'hosting.seat-request.notify': 'Hébergement : équipe prévenue d’une demande de licences supplémentaires',
  'support.sla-alert': 'Assistance : alerte ou escalade d’échéance d’un ticket',
  'support.new-ticket': 'Assistance : nouveau ticket signalé à l’équipe',
  'training.promote': 'Formations : place libérée donnée au premier de la liste d’attente',
  'support.auto-close': 'Assistance : clôture des tickets résolus non confirmés (quotidien)',
  'support.report-summary': 'Assistance : résumé des mois clos pour le rapport annuel (quotidien)',
};

export const jobsQuery = paginationQuery.extend({
  state: z.enum(JOB_STATES).optional(),
  /** An exact job name, for example mail.send. */
  name: z
    .string()
    .regex(/^[a-z0-9_.-]{1,100}$/, 'nom invalide : lettres minuscules, chiffres, points, tirets')
    .optional(),
});

export const jobSchema = z.object({
  id: z.uuid(),
  name: z.string(),
  state: z.enum(JOB_STATES),
  attempts: z.number().int(),
  maxAttempts: z.number().int(),
  /** When it runs (pending: its first run or next retry). */
  runAt: z.iso.datetime(),
  /** The message of the last failed attempt (never personal data). */
  lastError: z.string().nullable(),
  createdAt: z.iso.datetime(),
  finishedAt: z.iso.datetime().nullable(),
});
export type Job = z.infer<typeof jobSchema>;
export const jobList = listOf(jobSchema);

export const jobScheduleSchema = z.object({
  name: z.string(),
  /** Cron expression (minute hour day-of-month month day-of-week), read in Europe/Paris time. */
  cron: z.string(),
  nextRunAt: z.iso.datetime(),
  lastRunAt: z.iso.datetime().nullable(),
});
export type JobSchedule = z.infer<typeof jobScheduleSchema>;
export const jobScheduleList = z.object({ items: z.array(jobScheduleSchema) });
