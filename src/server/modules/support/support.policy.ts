import type { Actor } from '../../platform/auth/context.js';
import {
  allOf,
  anyOf,
  definePolicy,
  memberRole,
  onMember,
  operatorScope,
} from '../../platform/auth/policy.js';
import type { TicketReader } from './support.service.js';

/**
 * Who may do what at the support desk (issue 14, §4). Every person of a member (admin, agent, reader
 * and the agent-plus roles) opens tickets for it and reads them: its admins every ticket of the
 * member, the others their own (the service narrows with `support:member-all`). The operator's
 * support team (operator admins, agents holding the `support` scope) sees every member's tickets,
 * works the queue and may open a ticket on a member's behalf. Nobody reaches another member's.
 */
export const SUPPORT_ACTIONS = ['support:tickets', 'support:member-all', 'support:operate'] as const;
/** Training: sessions are managed by the same team (`support:operate`); registrations follow `support:tickets`. */
export type SupportAction = (typeof SUPPORT_ACTIONS)[number];

const team = operatorScope('support');

export const supportPolicy = definePolicy<SupportAction>({
  'support:tickets': anyOf(allOf(onMember, team), memberRole('admin', 'agent', 'reader')),
  'support:member-all': anyOf(allOf(onMember, team), memberRole('admin')),
  'support:operate': team,
});

/** Who reads: the member's admins and the support team see every ticket of the member, others their own. */
export function ticketReaderOf(actor: Actor, memberId: string): TicketReader {
  return { userId: actor.userId, seesAll: supportPolicy(actor, 'support:member-all', memberId) };
}
