import type { Actor } from '../../../platform/auth/context.js';
import type { Executor } from '../../../platform/db/client.js';
import { type FieldError, forbidden, invalid } from '../../../platform/errors.js';
import { isRgpdEditor } from '../processings/rgpd.designation.service.js';
import { CASES_EDITORS_ONLY, rgpdCasesPolicy } from './rgpd.cases.policy.js';

/** What rights requests and breaches (section 4) share: who writes them, how field errors are reported. */

/**
 * Writes: the DPO team and the member admin by role; the member's other users only when named RGPD
 * editors (rgpd_editors, read in the request's transaction). The route let through only those who
 * could be (`cases:writeIfEditor`).
 */
export async function assertMayWrite(db: Executor, actor: Actor, memberId: string): Promise<void> {
  if (rgpdCasesPolicy(actor, 'cases:write', memberId)) return;
  if (
    rgpdCasesPolicy(actor, 'cases:writeIfEditor', memberId) &&
    (await isRgpdEditor(db, memberId, actor.userId))
  )
    return;
  throw forbidden(CASES_EDITORS_ONLY);
}

export function failIfAny(errors: FieldError[]): void {
  if (errors.length === 0) return;
  throw invalid(errors.map((e) => e.message).join(' '), errors);
}
