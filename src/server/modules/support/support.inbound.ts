import { sql } from 'drizzle-orm';
import type { FastifyBaseLogger } from 'fastify';
import { simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { ATTACHMENT_MAX_FILES, TICKET_REFERENCE_PATTERN } from '../../../contracts/support.js';
import { type Db, rowsOf } from '../../platform/db/client.js';
import { withTenant } from '../../platform/db/tenancy.js';
import type { Mailer } from '../../platform/mail/mailer.js';
import type { UploadedFile } from '../../platform/storage/files.js';
import { cleanFileName } from '../../platform/storage/files.js';
import type { ObjectStorage } from '../../platform/storage/storage.js';
import { ATTACHMENT_FALLBACK_NAME, refusalOf, storeAttachments } from './support.desk.service.js';
import * as repo from './support.repository.js';
import { addMemberMessage, openTicket } from './support.service.js';

/**
 * E-mail in (issue 14, §1): an SMTP endpoint (smtp-server, parsed by mailparser) that turns a message
 * from a known user into a reply on the ticket its subject names (« [T-000123] … ») or into a new
 * ticket of the user's member. Unknown senders get nothing created; the log says so without the
 * address. Off unless SUPPORT_SMTP_PORT is set; local only by default (SUPPORT_SMTP_HOST), no
 * authentication: put it behind the operator's mail relay.
 */

export interface InboundDeps {
  db: Db;
  mailer: Mailer;
  /** Where the mails' attachments are kept, as the web form's (support.desk.service.ts). */
  storage: ObjectStorage;
  publicUrl: string;
  log: FastifyBaseLogger;
}

/** The largest message accepted (25 MB: attachments travel base64-encoded, a third larger). */
const MAX_BYTES = 25 * 1024 * 1024;

export type InboundOutcome = 'ticket' | 'reply' | 'unknown-sender' | 'empty';

/** The member person an address belongs to: an active user with a role in a member (not the operator). */
async function senderOf(db: Db, email: string) {
  const [row] = rowsOf<{ user_id: string; member_id: string; role: string }>(
    await db.execute(sql`
      SELECT u.id AS user_id, ou.member_id, ou.role
      FROM users u JOIN organisation_users ou ON ou.user_id = u.id
      JOIN organisations o ON o.id = ou.member_id AND o.kind <> 'operator'
      WHERE lower(u.email) = ${email.toLowerCase()} AND u.is_active
      ORDER BY (ou.role = 'admin') DESC, o.name LIMIT 1`),
  );
  return row;
}

/** Handles one parsed message; exported for the tests of the rules without a socket. */
export async function receiveMail(
  deps: InboundDeps,
  mail: { from: string | null; subject: string; text: string; attachments?: UploadedFile[] },
): Promise<InboundOutcome> {
  const sender = mail.from ? await senderOf(deps.db, mail.from) : undefined;
  if (!sender) {
    deps.log.warn({ outcome: 'unknown-sender' }, 'support inbound mail refused: sender is not a known user');
    return 'unknown-sender';
  }
  // Attachments: the accepted ones stored as the web form's, the others named at the end of the text.
  const accepted: UploadedFile[] = [];
  const refused: string[] = [];
  for (const file of mail.attachments ?? []) {
    const refusal =
      accepted.length >= ATTACHMENT_MAX_FILES
        ? `« ${cleanFileName(file.fileName, ATTACHMENT_FALLBACK_NAME)} » : ${ATTACHMENT_MAX_FILES} fichiers au plus.`
        : refusalOf(file);
    if (refusal) refused.push(refusal);
    else accepted.push(file);
  }
  if (refused.length > 0)
    deps.log.info({ refused: refused.length }, 'support inbound mail: attachments refused');
  const note = refused.length > 0 ? `\n\n[Pièces jointes non reprises : ${refused.join(' ')}]` : '';
  const body = mail.text.trim() || (accepted.length > 0 ? '(pièces jointes sans texte)' : '');
  const subject = mail.subject.trim() || 'Demande reçue par courriel';
  if (!body) return 'empty';
  const context = { userId: sender.user_id, memberId: sender.member_id, operatorRole: null };
  const source = { actorUserId: sender.user_id, ipAddress: null };
  const support = { mailer: deps.mailer, publicUrl: deps.publicUrl };
  const reference = TICKET_REFERENCE_PATTERN.exec(subject);
  const owner = (ticketId: string) => ({
    memberId: sender.member_id,
    ticketId,
    internal: false,
    uploadedBy: sender.user_id,
  });
  return withTenant(deps.db, context, async (tx) => {
    if (reference) {
      const ticketId = await repo.findTicketByNumber(tx, sender.member_id, Number(reference[1]));
      if (ticketId) {
        const reader = { userId: sender.user_id, seesAll: sender.role === 'admin' };
        await addMemberMessage(
          tx,
          support,
          sender.member_id,
          ticketId,
          reader,
          `${body.slice(0, 20_000 - note.length)}${note}`,
          source,
          async (messageId) => {
            await storeAttachments(tx, deps.storage, { ...owner(ticketId), messageId }, accepted);
          },
        );
        deps.log.info({ outcome: 'reply', ticketId }, 'support inbound mail: reply');
        return 'reply' as const;
      }
    }
    const created = await openTicket(
      tx,
      support,
      sender.member_id,
      {
        subject: subject.slice(0, 200).padEnd(3, '.'),
        description: `${body.slice(0, 20_000 - note.length)}${note}`,
        category: 'question',
      },
      source,
    );
    await storeAttachments(tx, deps.storage, { ...owner(created.id), messageId: null }, accepted);
    deps.log.info({ outcome: 'ticket', ticketId: created.id }, 'support inbound mail: new ticket');
    return 'ticket' as const;
  });
}

/** Starts the endpoint; resolves once it listens. `close()` stops it. */
export async function startInboundSmtp(deps: InboundDeps, port: number, host: string) {
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['AUTH', 'STARTTLS'],
    size: MAX_BYTES,
    banner: 'Socle — assistance',
    onData(stream, _session, callback) {
      simpleParser(stream)
        .then((parsed) =>
          receiveMail(deps, {
            from: parsed.from?.value[0]?.address ?? null,
            subject: parsed.subject ?? '',
            text: parsed.text ?? '',
            attachments: parsed.attachments.map((a) => ({
              data: a.content,
              fileName: a.filename ?? `piece-jointe.${a.contentType.split('/')[1] ?? 'bin'}`,
            })),
          }),
        )
        .then(() => callback())
        .catch((err: Error) => {
          deps.log.error({ err }, 'support inbound mail failed');
          callback(new Error('Message non traité, réessayez plus tard.'));
        });
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  server.on('error', (err) => deps.log.error({ err }, 'support inbound SMTP error'));
  const address = server.server.address();
  return {
    port: typeof address === 'object' && address ? address.port : port,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
