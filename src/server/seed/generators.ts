/**
 * Generators shared by the demo seed and the France-scale benchmark: people, contacts, structure
 * names, SIRENs and membership histories that respect the lifecycle. Everything draws from a
 * `Random`, never from Math.random or the clock.
 */
import { isValidSiren, withLuhnDigit } from '../../contracts/identifiers.js';
import type { ContactRole, MembershipStatus } from '../../contracts/members.js';
import type { Random } from './random.js';

const FIRST_NAMES = (
  'Camille Nathalie Isabelle Sylvie Catherine Valérie Sandrine Christine Stéphanie Céline Sophie ' +
  'Aurélie Émilie Julie Marie Anne Hélène Laurence Véronique Martine Patricia Élodie Claire Agnès ' +
  'Brigitte Florence Karine Pascale Mathilde Pauline Jean Philippe Michel Alain Patrick Nicolas ' +
  'Christophe Pierre Laurent Frédéric Éric Olivier Thierry Stéphane David Sébastien Jérôme Pascal ' +
  'Bernard Daniel Gérard Dominique Yannick Loïc Hervé Didier Franck Guillaume Antoine Benoît Joël ' +
  'Gilles Régis Maxime Thomas Julien'
).split(' ');

const LAST_NAMES = (
  'Martin Bernard Dubois Thomas Robert Richard Petit Durand Leroy Moreau Simon Laurent Lefebvre ' +
  'Michel Garcia David Bertrand Roux Vincent Fournier Morel Girard Andre Mercier Dupont Lambert ' +
  'Bonnet François Martinez Legrand Garnier Faure Rousseau Blanc Guérin Muller Henry Roussel ' +
  'Nicolas Perrin Morin Mathieu Clément Gauthier Dumont Lopez Fontaine Chevalier Robin Masson ' +
  'Sanchez Gérard Nguyen Boyer Denis Lemaire Duval Joly Gautier Roger Roche Roy Noël Meyer Lucas ' +
  'Meunier Jean Pérez Marchand Dufour Blanchard Marie Barbier Brun Dumas Brunet Schmitt Leroux ' +
  'Colin Fernandez Pineau Guillet Rabiller Bouron Chauvet Grolleau Baudry Rambaud Gaborit Ripaud ' +
  'Bonnin Charrier Guilbaud Tessier Hervouet Jolly Bretaud Landreau'
).split(' ');

/** Lower-case ASCII letters and digits only: for e-mail local parts and demo domains. */
export function slug(text: string, separator = ''): string {
  return text
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/œ/g, 'oe')
    .trim()
    .replace(/[^a-z0-9]+/g, ' ')
    .trim()
    .replace(/ /g, separator);
}

/** "de" before a place name, contracted as French requires: du Mans, des Sables, d'Angers. */
export function ofPlace(name: string): string {
  if (name.startsWith('Le ')) return `du ${name.slice(3)}`;
  if (name.startsWith('Les ')) return `des ${name.slice(4)}`;
  if (/^[AEIOUYÉÈÊÎÔÂ]/i.test(name.normalize('NFC'))) return `d'${name}`;
  return `de ${name}`;
}

export interface Person {
  firstName: string;
  lastName: string;
}

export const randomPerson = (rng: Random): Person => ({
  firstName: rng.pick(FIRST_NAMES),
  lastName: rng.pick(LAST_NAMES),
});

/** ARCEP reserves 02 61 91 xx xx for fiction: these numbers ring nobody. */
export const fictionalPhone = (rng: Random) =>
  `02 61 91 ${String(rng.int(0, 99)).padStart(2, '0')} ${String(rng.int(0, 99)).padStart(2, '0')}`;

export interface ContactDraft {
  role: ContactRole;
  firstName: string;
  lastName: string;
  email: string | null;
  phone: string | null;
}

/**
 * Contacts as a membership file usually holds them: the executive and the administration always,
 * the référents often, the delegates once the structure sits on the comité syndical.
 */
export function contactsFor(rng: Random, status: MembershipStatus, domain: string): ContactDraft[] {
  const roles: ContactRole[] = ['maire_president', 'dgs_secretaire'];
  if (status !== 'prospect') {
    if (rng.chance(0.55)) roles.push('referent_numerique');
    if (rng.chance(0.6)) roles.push('referent_rgpd');
  }
  if (status === 'member' || status === 'withdrawal_requested' || status === 'accepted') {
    roles.push('delegue_titulaire');
    if (rng.chance(0.7)) roles.push('delegue_suppleant');
  }
  return roles.map((role) => {
    const person = randomPerson(rng);
    const email =
      role === 'referent_rgpd' && rng.chance(0.3)
        ? `rgpd@${domain}`
        : `${slug(person.firstName, '-')}.${slug(person.lastName, '-')}@${domain}`;
    return {
      role,
      ...person,
      email: role === 'delegue_suppleant' && rng.chance(0.3) ? null : email,
      phone: rng.chance(0.7) ? fictionalPhone(rng) : null,
    };
  });
}

/**
 * Deterministic SIRENs for structures that are not in the official geography. Prefixes 25–28 and
 * 39 are never used by communes (21, 20) or EPCI (24, 20), and `taken` guards the rest.
 */
export class SirenFactory {
  private counters = new Map<string, number>();
  constructor(private readonly taken: Set<string>) {}

  next(prefix: '25' | '26' | '27' | '28' | '39'): string {
    for (;;) {
      const n = (this.counters.get(prefix) ?? 0) + 1;
      this.counters.set(prefix, n);
      const siren = withLuhnDigit(`${prefix}${String(100_000 + n).padStart(6, '0')}`);
      if (isValidSiren(siren) && !this.taken.has(siren)) {
        this.taken.add(siren);
        return siren;
      }
    }
  }
}

const EHPAD_NAMES = (
  'Les Glycines|Les Tilleuls|Le Bocage|Les Hortensias|La Chênaie|Les Mimosas|Le Val Fleuri|' +
  'Les Jardins du Lay|La Résidence du Parc|Les Charmilles|Le Clos des Vignes|Les Magnolias|' +
  'La Source|Les Cèdres|Les Genêts|Les Marronniers|Le Moulin|Les Rives|Sainte-Anne|Saint-Joseph'
).split('|');

export function medicoSocialName(rng: Random, communeName: string): string {
  const kind = rng.weighted({
    'EHPAD public': 6,
    'Résidence autonomie': 2,
    'Foyer d’accueil médicalisé': 1,
    'Centre de soins infirmiers': 1,
  });
  if (kind === 'EHPAD public') return `EHPAD ${rng.pick(EHPAD_NAMES)} – ${communeName}`;
  return `${kind} ${rng.pick(EHPAD_NAMES)} ${ofPlace(communeName)}`;
}

const RIVERS = (
  "du Lay|de la Vie|de la Sèvre nantaise|de l'Erdre|de la Mayenne|de la Sarthe|du Loir|de l'Huisne|" +
  "du Layon|de l'Authion|de l'Oudon|de l'Yon|de la Vendée|de l'Autise|de la Boulogne|de l'Èvre|" +
  "du Thouet|de l'Erve|de la Vègre|du Brivet"
).split('|');

/** A syndicat's name and kind: water, energy, waste, school, river basin… */
export function syndicatName(
  rng: Random,
  communeA: string,
  communeB: string,
  departementLabel: string,
): { name: string; kind: 'syndicat_mixte' | 'syndicat_intercommunal' } {
  const theme = rng.weighted({ eau: 3, energie: 2, dechets: 2, sivu: 3, bassin: 2, transport: 1, voirie: 1 });
  switch (theme) {
    case 'eau':
      return {
        name: `Syndicat intercommunal d’alimentation en eau potable de la région ${ofPlace(communeA)}`,
        kind: 'syndicat_intercommunal',
      };
    case 'energie':
      return {
        name: `Syndicat intercommunal d’énergie du secteur ${ofPlace(communeA)}`,
        kind: 'syndicat_intercommunal',
      };
    case 'dechets':
      return {
        name: `Syndicat mixte de collecte et de traitement des déchets du pays ${ofPlace(communeA)}`,
        kind: 'syndicat_mixte',
      };
    case 'sivu':
      return { name: `SIVU scolaire ${communeA} – ${communeB}`, kind: 'syndicat_intercommunal' };
    case 'bassin':
      return { name: `Syndicat mixte du bassin versant ${rng.pick(RIVERS)}`, kind: 'syndicat_mixte' };
    case 'transport':
      return { name: `Syndicat mixte des transports scolaires ${departementLabel}`, kind: 'syndicat_mixte' };
    default:
      return { name: `SIVOM de voirie ${ofPlace(communeA)} et environs`, kind: 'syndicat_intercommunal' };
  }
}

export function otherBodyName(rng: Random, place: string): string {
  return rng.pick([
    `Office de tourisme intercommunal ${ofPlace(place)}`,
    `Pôle d’équilibre territorial et rural du pays ${ofPlace(place)}`,
    `Caisse des écoles ${ofPlace(place)}`,
    `Régie des eaux ${ofPlace(place)}`,
    `École de musique intercommunale ${ofPlace(place)}`,
  ]);
}

// ---- Dates -------------------------------------------------------------------------------------

const DAY_MS = 86_400_000;
export const toDay = (iso: string) => Math.round(Date.parse(`${iso}T00:00:00Z`) / DAY_MS);
export const fromDay = (day: number) => new Date(day * DAY_MS).toISOString().slice(0, 10);
export const frenchDate = (iso: string) => `${iso.slice(8, 10)}/${iso.slice(5, 7)}/${iso.slice(0, 4)}`;

/** The generated history stops here, whatever today is, so that the demo never changes. */
export const HISTORY_END = '2026-11-15';

/** Sessions of the comité syndical: four a year, the last of 2026 still to come. */
export function committeeSessions(): string[] {
  const sessions: string[] = [];
  for (let year = 2015; year <= 2026; year++) {
    const d = (base: number) => String(base + (year % 7)).padStart(2, '0');
    sessions.push(`${year}-02-${d(8)}`, `${year}-06-${d(12)}`, `${year}-10-${d(2)}`, `${year}-12-${d(4)}`);
  }
  return sessions;
}
const SESSIONS = committeeSessions().map(toDay);

/** The first session at least two weeks after `day` (the file must reach the agenda). */
function nextSession(day: number): number {
  return SESSIONS.find((s) => s >= day + 14) ?? SESSIONS[SESSIONS.length - 1];
}

const firstOfNextMonth = (day: number) => {
  const d = new Date(day * DAY_MS);
  return Math.round(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1) / DAY_MS);
};

export interface HistoryStep {
  from: MembershipStatus | null;
  to: MembershipStatus;
  on: string;
  /** A decision of the comité syndical: gets a CS-YYYY-NNN reference once every history is known. */
  committeeDecision: boolean;
  /** The step rests on a délibération of the structure itself. */
  deliberation: 'adhesion' | 'retrait' | null;
  note: string | null;
}

const between = (rng: Random, from: string, to: string) => rng.int(toDay(from), toDay(to));

const PROSPECT_NOTES = [
  'Premier contact lors du salon des maires',
  'Présentation des services au conseil municipal',
  'Rendez-vous avec la direction générale',
  'Demande d’information reçue par courriel',
  'Réunion d’information du territoire',
] as const;

/**
 * A dated history that ends in `status` and only takes legal steps (prospect → requested →
 * accepted → member → withdrawal_requested → withdrawn). About a third of the members joined in the
 * founding wave of 2015.
 */
export function membershipHistory(rng: Random, status: MembershipStatus): HistoryStep[] {
  const steps: HistoryStep[] = [];
  const push = (
    from: MembershipStatus | null,
    to: MembershipStatus,
    day: number,
    extra: Partial<HistoryStep> = {},
  ) =>
    steps.push({
      from,
      to,
      on: fromDay(day),
      committeeDecision: false,
      deliberation: null,
      note: null,
      ...extra,
    });

  let requestedOn: number;
  switch (status) {
    case 'prospect':
      push(null, 'prospect', between(rng, '2025-01-06', '2026-11-10'), { note: rng.pick(PROSPECT_NOTES) });
      return steps;
    case 'requested':
      requestedOn = between(rng, '2026-09-26', '2026-11-10');
      break;
    case 'accepted':
      requestedOn = between(rng, '2026-06-05', '2026-09-20');
      break;
    case 'withdrawn':
      requestedOn = rng.chance(0.4)
        ? between(rng, '2014-11-15', '2015-01-20')
        : between(rng, '2015-02-01', '2022-06-30');
      break;
    case 'withdrawal_requested':
      requestedOn = rng.chance(0.4)
        ? between(rng, '2014-11-15', '2015-01-20')
        : between(rng, '2015-02-01', '2024-06-30');
      break;
    default:
      requestedOn = rng.chance(0.35)
        ? between(rng, '2014-11-15', '2015-01-20')
        : between(rng, '2015-02-01', '2026-05-31');
  }

  push(null, 'prospect', requestedOn - rng.int(20, 240), { note: rng.pick(PROSPECT_NOTES) });
  push('prospect', 'requested', requestedOn, { deliberation: 'adhesion' });
  if (status === 'requested') return steps;

  const acceptedOn = nextSession(requestedOn);
  push('requested', 'accepted', acceptedOn, { committeeDecision: true });
  if (status === 'accepted') return steps;

  const memberFrom = firstOfNextMonth(acceptedOn);
  push('accepted', 'member', memberFrom, { note: 'Convention d’adhésion signée' });
  if (status === 'member') return steps;

  const withdrawalOn =
    status === 'withdrawal_requested'
      ? between(rng, '2026-09-01', '2026-11-10')
      : rng.int(memberFrom + 365, toDay('2026-05-31'));
  push('member', 'withdrawal_requested', withdrawalOn, { deliberation: 'retrait' });
  if (status === 'withdrawal_requested') return steps;

  push('withdrawal_requested', 'withdrawn', nextSession(withdrawalOn), {
    committeeDecision: true,
    note: 'Retrait effectif après délibération du comité syndical',
  });
  return steps;
}

/**
 * Numbers the comité syndical's decisions in date order within each year (CS-2023-001, -002…).
 * `decisions` are mutated: each gets its reference.
 */
export function numberCommitteeDecisions<T extends { on: string; reference?: string | null }>(
  decisions: T[],
) {
  const sorted = [...decisions].sort((a, b) => (a.on < b.on ? -1 : a.on > b.on ? 1 : 0));
  const perYear = new Map<string, number>();
  for (const decision of sorted) {
    const year = decision.on.slice(0, 4);
    const n = (perYear.get(year) ?? 0) + 1;
    perYear.set(year, n);
    decision.reference = `CS-${year}-${String(n).padStart(3, '0')}`;
  }
}
