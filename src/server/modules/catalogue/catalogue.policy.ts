import { anyOperator, definePolicy, operatorAdmin } from '../../platform/auth/policy.js';

/**
 * Who may do what on the catalogue. Reading services, prerequisites and reference prices needs no
 * policy (public). Editing is a decision of the comité syndical, recorded by an operator admin: the
 * `finance` scope prices services (pricing module) but does not change what the catalogue offers.
 */
export const cataloguePolicy = definePolicy({
  'catalogue:edit': operatorAdmin,
  'catalogue:history': anyOperator,
});

export type CatalogueAction = Parameters<typeof cataloguePolicy>[1];
export const CATALOGUE_ACTIONS: CatalogueAction[] = ['catalogue:edit', 'catalogue:history'];
