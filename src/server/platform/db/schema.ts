/** Every table, for drizzle-kit. The kernel owns identity and territory; each module owns its own schema file. */
export * from '../../kernel/identity.schema.js';
export * from '../../kernel/territory.schema.js';
export * from '../../modules/accounts/accounts.schema.js';
export * from '../../modules/acts/acts.schema.js';
export * from '../../modules/billing/billing.schema.js';
export * from '../../modules/catalogue/catalogue.schema.js';
export * from '../../modules/cyber/cyber.schema.js';
export * from '../../modules/governance/governance.schema.js';
export * from '../../modules/members/members.schema.js';
export * from '../../modules/pricing/pricing.schema.js';
export * from '../../modules/rgpd/rgpd.schema.js';
export * from '../../modules/subscriptions/subscriptions.schema.js';
export * from '../../modules/webhooks/webhooks.schema.js';
export * from '../audit/audit.schema.js';
export * from '../jobs/jobs.schema.js';
export * from '../mail/mail.schema.js';
