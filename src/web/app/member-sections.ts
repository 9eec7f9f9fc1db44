import type { ComponentType } from 'react';
import type { MemberDetail } from '../../contracts/members.js';
import type { Auth } from './auth.js';

/**
 * One member at a glance: every module adds its part of a member's page by registering a section in
 * its own `member-section.tsx` (found by `member-sections.load.ts`, nothing else to edit). The
 * operator's page of a member shows them as tabs (`/operateur/adherents/$memberId?onglet=<id>`), the
 * member's own home (`/espace?onglet=<id>`) the same sections it may see.
 */

/** Who looks: the operator's page of a member, or the member's own home. */
export type MemberView = 'operator' | 'member';

export interface MemberSectionProps {
  member: MemberDetail;
  auth: Auth;
  view: MemberView;
}

export interface MemberSection {
  /** Stable, in the URL: `?onglet=<id>` (kebab-case French: `abonnements`, `factures`…). */
  id: string;
  /** The tab's French label. */
  label: string;
  /** Tabs are sorted by it: members 10–40, accounts 50, subscriptions 60, costs 70, invoices 80, RGPD 90. */
  order: number;
  /** Whether this person sees the section here (the server still decides what its calls answer). */
  visible(props: MemberSectionProps): boolean;
  /** Renders its own `<h2>` titled like the label. */
  Component: ComponentType<MemberSectionProps>;
}

const registry = new Map<string, MemberSection>();

export function registerMemberSection(section: MemberSection): void {
  if (registry.has(section.id)) throw new Error(`member section "${section.id}" registered twice`);
  registry.set(section.id, section);
}

/** The sections this person sees for this member, in order. */
export function memberSectionsFor(props: MemberSectionProps): MemberSection[] {
  return [...registry.values()].filter((s) => s.visible(props)).sort((a, b) => a.order - b.order);
}
