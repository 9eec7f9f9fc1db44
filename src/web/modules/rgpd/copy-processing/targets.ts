import type { MemberSummary } from '../../../../contracts/members.js';
import { formatNumber } from '../../../ui/index.js';
import { kindLabel } from '../../members/components.js';

export const plural = (n: number, one: string, many: string) => `${formatNumber(n)} ${n > 1 ? many : one}`;

export type Target = Pick<MemberSummary, 'id' | 'name' | 'kind' | 'epciType' | 'departementCode' | 'status'>;

export const targetLabel = (m: Target) =>
  `${m.name} — ${kindLabel(m.kind, m.epciType)}${m.departementCode ? ` (${m.departementCode})` : ''}`;
