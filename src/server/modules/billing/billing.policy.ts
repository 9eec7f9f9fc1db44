import type { Actor } from '../../platform/auth/context.js';
import { definePolicy, memberRole, operatorScope } from '../../platform/auth/policy.js';

/**
 * Billing is the finance team's (and admins'): runs, credit notes, payments, every invoice and the
 * exports. A member's users read their own invoices, whatever their role.
 */
export const billingPolicy = definePolicy({
  'billing:run': operatorScope('finance'),
  'invoices:readAll': operatorScope('finance'),
  'invoices:readOwn': memberRole('admin', 'agent', 'reader'),
  'invoices:credit': operatorScope('finance'),
  'invoices:export': operatorScope('finance'),
  'payments:record': operatorScope('finance'),
});

export type BillingAction = Parameters<typeof billingPolicy>[1];

/**
 * Whose invoices the actor may read: null for the finance team (every member's), the current
 * member's id for that member's users, undefined for anyone else.
 */
export function invoiceReadScope(actor: Actor | null): string | null | undefined {
  if (billingPolicy(actor, 'invoices:readAll')) return null;
  const memberId = actor?.current && !actor.isOperator ? actor.current.organisationId : null;
  return memberId && billingPolicy(actor, 'invoices:readOwn', memberId) ? memberId : undefined;
}
