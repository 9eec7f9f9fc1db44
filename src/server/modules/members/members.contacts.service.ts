import type { Contact, ContactInput, ContactPatch } from '../../../contracts/members.js';
import { type AuditSource, recordAudit } from '../../platform/audit/audit.js';
import type { Executor } from '../../platform/db/client.js';
import { notFound } from '../../platform/errors.js';
import * as repo from './members.contacts.repository.js';
import { requireMember } from './members.service.js';

/** A member's contacts: listed, added, edited and removed by its people and the operator, audited. */

const presentContact = (c: repo.ContactRow): Contact => ({
  id: c.id,
  memberId: c.memberId,
  role: c.role,
  firstName: c.firstName,
  lastName: c.lastName,
  email: c.email,
  phone: c.phone,
  updatedAt: c.updatedAt.toISOString(),
});

const CONTACT_NOT_FOUND = "Ce contact n'existe pas pour cette structure.";

export async function listContacts(db: Executor, memberId: string) {
  await requireMember(db, memberId);
  const rows = await repo.listContacts(db, memberId);
  return { items: rows.map(presentContact), total: rows.length, nextCursor: null };
}

export async function createContact(
  db: Executor,
  memberId: string,
  input: ContactInput,
  source: AuditSource,
) {
  await requireMember(db, memberId);
  const row = await repo.insertContact(db, {
    memberId,
    role: input.role,
    firstName: input.firstName,
    lastName: input.lastName,
    email: input.email ?? null,
    phone: input.phone ?? null,
  });
  await recordAudit(db, {
    action: 'member.contact_created',
    ...source,
    memberId,
    targetType: 'member_contact',
    targetId: row.id,
    details: { role: row.role },
  });
  return presentContact(row);
}

export async function updateContact(
  db: Executor,
  memberId: string,
  contactId: string,
  patch: ContactPatch,
  source: AuditSource,
) {
  await requireMember(db, memberId);
  const row = await repo.updateContact(db, memberId, contactId, patch);
  if (!row) throw notFound(CONTACT_NOT_FOUND);
  await recordAudit(db, {
    action: 'member.contact_updated',
    ...source,
    memberId,
    targetType: 'member_contact',
    targetId: contactId,
    details: { fields: Object.keys(patch) },
  });
  return presentContact(row);
}

export async function deleteContact(db: Executor, memberId: string, contactId: string, source: AuditSource) {
  await requireMember(db, memberId);
  if (!(await repo.deleteContact(db, memberId, contactId))) throw notFound(CONTACT_NOT_FOUND);
  await recordAudit(db, {
    action: 'member.contact_deleted',
    ...source,
    memberId,
    targetType: 'member_contact',
    targetId: contactId,
  });
}
