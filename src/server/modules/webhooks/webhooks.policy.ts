import {
  allOf,
  anyOf,
  definePolicy,
  memberRole,
  onMember,
  operatorAdmin,
} from '../../platform/auth/policy.js';

/**
 * Who manages webhooks (issue 16): a member's admins for that member's events (and the operator's
 * admins on their behalf); the operator's admins for endpoints receiving every member's events.
 * Nobody else: an endpoint's secret and delivery log tell what happens in the member.
 */
export const WEBHOOK_ACTIONS = ['webhooks:manage', 'webhooks:operate'] as const;
export type WebhookAction = (typeof WEBHOOK_ACTIONS)[number];

export const webhooksPolicy = definePolicy<WebhookAction>({
  'webhooks:manage': anyOf(allOf(onMember, operatorAdmin), memberRole('admin')),
  'webhooks:operate': operatorAdmin,
});
