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
