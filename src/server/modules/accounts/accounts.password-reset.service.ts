import { type AuditSource, recordAudit } from '../../platform/audit/audit.js';
import { hashToken, newToken } from '../../platform/auth/session.js';
import { now } from '../../platform/clock.js';
import type { Tx } from '../../platform/db/client.js';
import { invalid } from '../../platform/errors.js';
import { enqueue } from '../../platform/jobs/queue.js';
import { passwordResetMail } from './accounts.mails.js';
import * as repo from './accounts.repository.js';
import type { AccountsDeps } from './accounts.service.js';
import { emailKey } from './accounts.sessions.service.js';
import { hashPassword } from './password.js';

/** Reset links by mail (transactions: see accounts.service.ts). */

export const PASSWORD_RESET_TTL_MS = 3600_000;
/** Beyond this many reset mails per hour for one account, further requests send nothing. */
const MAX_RESETS_PER_HOUR = 3;

/**
 * What every request for a reset link is answered, whether the account exists or not. The route
 * answers it once the request is queued (`queuePasswordReset`), before anything is looked up, so
 * neither the answer nor its timing tells whether an account exists (no account enumeration).
 */
export const PASSWORD_RESET_ANSWER =
  'Si un compte existe pour cette adresse, un courriel contenant un lien de réinitialisation valable une heure vient de lui être envoyé.';

/** The durable job that runs `requestPasswordReset` after the answer (accounts.jobs.ts). */
export const PASSWORD_RESET_JOB = 'accounts.password-reset';

/**
 * Queues the reset request: one insert, the same for every address (the lookup happens in the job).
 * In the job table, not in memory, so a restart between the answer and the work loses nothing. The
 * payload holds the address until the job has run, then is emptied (accounts.jobs.ts).
 */
export async function queuePasswordReset(tx: Tx, email: string, source: AuditSource): Promise<void> {
  await enqueue(tx, PASSWORD_RESET_JOB, { email, ipAddress: source.ipAddress });
}

/** Sends a link when the account exists and is active, at most MAX_RESETS_PER_HOUR an hour. */
export async function requestPasswordReset(tx: Tx, deps: AccountsDeps, email: string, source: AuditSource) {
  const user = await repo.findUserByEmail(tx, email);
  if (!user?.isActive) return;
  const audit = { ...source, actorUserId: user.id };
  // Requests for one account are counted one after the other, so parallel ones cannot exceed the limit.
  await repo.lockKeys(tx, [`reset:${user.id}`]);
  const at = now();
  if ((await repo.countResetsSince(tx, user.id, new Date(at.getTime() - 3600_000))) >= MAX_RESETS_PER_HOUR) {
    await recordAudit(tx, { action: 'auth.password_reset.throttled', ...audit });
    return;
  }
  const token = newToken();
  const expiresAt = new Date(at.getTime() + PASSWORD_RESET_TTL_MS);
  await repo.insertPasswordReset(tx, { tokenHash: hashToken(token), userId: user.id, expiresAt });
  const link = `${deps.config.publicUrl}/reinitialiser-mot-de-passe?jeton=${token}`;
  await deps.mailer.send(tx, passwordResetMail(user.email, link, expiresAt));
  await recordAudit(tx, { action: 'auth.password_reset.requested', ...audit });
}

/** Outside any transaction: the hash of a new password, for `confirmPasswordReset` or an invitation. */
export const hashNewPassword = (password: string): Promise<string> => hashPassword(password);

/**
 * Sets the password hashed beforehand (`hashNewPassword`) if `token` is a live link, which it uses up;
 * every session of the account ends, and failed logins stop blocking it.
 */
export async function confirmPasswordReset(
  tx: Tx,
  input: { token: string; passwordHash: string },
  source: AuditSource,
): Promise<void> {
  const at = now();
  const userId = await repo.consumePasswordReset(tx, hashToken(input.token), at);
  if (!userId) {
    throw invalid(
      'Ce lien de réinitialisation est invalide, expiré ou déjà utilisé : demandez-en un nouveau.',
      [{ path: 'body.token', message: 'lien invalide, expiré ou déjà utilisé' }],
    );
  }
  await repo.actAsUser(tx, userId);
  const user = await repo.findUserById(tx, userId);
  await repo.setPasswordHash(tx, userId, input.passwordHash);
  await repo.invalidatePasswordResets(tx, userId, at);
  await repo.deleteUserSessions(tx, userId);
  // Whoever proved they own the mailbox gets their account back even after failed guesses.
  if (user) {
    await repo.lockKeys(tx, [emailKey(user.email)]);
    await repo.clearFailures(tx, emailKey(user.email));
  }
  await recordAudit(tx, { action: 'auth.password_reset.completed', ...source, actorUserId: userId });
}
