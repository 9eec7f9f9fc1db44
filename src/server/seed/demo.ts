import crypto from 'node:crypto';
import path from 'node:path';
import { and, eq, inArray, sql } from 'drizzle-orm';
import type { FastifyBaseLogger } from 'fastify';
import { defined } from '../../contracts/defined.js';
import { withLuhnDigit } from '../../contracts/identifiers.js';
import type { MembershipStatus } from '../../contracts/members.js';
import { searchKey } from '../../contracts/search.js';
import type { Config } from '../config.js';
import { hashPassword } from '../modules/accounts/password.js';
import type { Db, Tx } from '../platform/db/client.js';
import {
  auditEvents,
  communes,
  departements,
  epci,
  memberContacts,
  memberDocuments,
  membershipEvents,
  organisations,
  organisationUsers,
  outboxMails,
  users,
} from '../platform/db/schema.js';
import { LocalDiskStorage, type ObjectStorage } from '../platform/storage/storage.js';
import { insertRows } from './bulk.js';
import { seedActs } from './demo-acts.js';
import { seedBilling } from './demo-billing.js';
import { seedCatalogue } from './demo-catalogue.js';
import { seedConnect } from './demo-connect.js';
import { seedCyber } from './demo-cyber.js';
import { ELU_ACCOUNT, seedGovernance } from './demo-governance.js';
import { HOSTING_ACCOUNT, seedHosting } from './demo-hosting.js';
import { seedRgpd } from './demo-rgpd.js';
import { seedRgpdCases } from './demo-rgpd-cases.js';
import { seedArticles, seedSupport, seedTrainings } from './demo-support.js';
import { seedTrainingFollowUp } from './demo-training.js';
import {
  type ContactDraft,
  committeeSessions,
  contactsFor,
  frenchDate,
  HISTORY_END,
  type HistoryStep,
  medicoSocialName,
  membershipHistory,
  numberCommitteeDecisions,
  ofPlace,
  otherBodyName,
  SirenFactory,
  slug,
  syndicatName,
} from './generators.js';
import { renderPdf } from './pdf.js';
import { Random } from './random.js';

export const DEMO_PASSWORD = 'socle-demo-2026';
const SEED = 20_260_052;

/** Real communes given demo accounts: the two towns of the brief and two small neighbours of the Sud-Vendée. */
export const DEMO_COMMUNES = {
  laRocheSurYon: '85191',
  lesSablesDOlonne: '85194',
  faymoreau: '85087',
  puyDeSerre: '85184',
} as const;

/** Share of the region's communes that are in the demo registry (~760 of 1,228 in region 52). */
const COMMUNE_SHARE = 0.62;

const STATUS_WEIGHTS: Record<MembershipStatus, number> = {
  prospect: 6,
  requested: 3,
  accepted: 3,
  member: 80,
  withdrawal_requested: 3,
  withdrawn: 5,
};

/** Département names with their article, for structure names ("de la Vendée", "de Maine-et-Loire"). */
const DEPARTEMENT_OF: Record<string, string> = {
  '44': 'de la Loire-Atlantique',
  '49': 'de Maine-et-Loire',
  '53': 'de la Mayenne',
  '72': 'de la Sarthe',
  '85': 'de la Vendée',
};
/** Préfectures, where the centres de gestion sit. */
const PREFECTURES: Record<string, string> = {
  '44': '44109',
  '49': '49007',
  '53': '53130',
  '72': '72181',
  '85': '85191',
};

interface DemoAccount {
  email: string;
  displayName: string;
  line: string;
}

const ACCOUNTS = {
  admin: {
    email: 'admin@socle.example',
    displayName: 'Claire Morel',
    line: "admin@socle.example — administratrice de l'opérateur",
  },
  dpo: {
    email: 'dpo@socle.example',
    displayName: 'Yannick Pineau',
    line: "dpo@socle.example — agent de l'opérateur, périmètre DPO mutualisé (dpo)",
  },
  finance: {
    email: 'finance@socle.example',
    displayName: 'Sophie Guilbaud',
    line: "finance@socle.example — agent de l'opérateur, périmètre finances (finance)",
  },
  cyber: {
    email: 'cyber@socle.example',
    displayName: 'Romain Chauvet',
    line: "cyber@socle.example — agent de l'opérateur, périmètre cybersécurité (cyber)",
  },
  assistance: {
    email: 'assistance@socle.example',
    displayName: 'Julie Rousseau',
    line: "assistance@socle.example — agente de l'opérateur, périmètre assistance (support)",
  },
  laRoche: {
    email: 'mairie@larochesuryon.example',
    displayName: 'Hélène Rabiller',
    line: 'mairie@larochesuryon.example — administratrice de la commune de La Roche-sur-Yon (85191)',
  },
  sables: {
    email: 'mairie@lessablesdolonne.example',
    displayName: 'Thierry Gaborit',
    line: "mairie@lessablesdolonne.example — administrateur de la commune des Sables-d'Olonne (85194)",
  },
  secretaire: {
    email: 'secretaire@communes.example',
    displayName: 'Nathalie Bonnin',
    line: 'secretaire@communes.example — secrétaire de mairie, agente de Faymoreau (85087) et de Puy-de-Serre (85184)',
  },
} satisfies Record<string, DemoAccount>;

type OrganisationRow = typeof organisations.$inferInsert & { id: string; name: string };
type ContactRow = typeof memberContacts.$inferInsert;
type EventRow = typeof membershipEvents.$inferInsert & { id: string };
type DocumentRow = typeof memberDocuments.$inferInsert & { id: string };

/**
 * Seeds the demo operator on first start (no operator organisation yet) and returns the demo accounts
 * to print. Deterministic: the same members, people, dates and identifiers on every machine. Draws
 * from the territory already imported (ensureTerritory runs first). Everything is written in one
 * transaction, so an interrupted seed leaves nothing behind and the next start tries again.
 */
export async function ensureDemoData(
  db: Db,
  config: Config,
  log: FastifyBaseLogger,
  storage: ObjectStorage = new LocalDiskStorage(path.join(config.dataDir, 'documents')),
): Promise<string[]> {
  if (config.isProduction) return [];
  // Demo data belongs to the embedded default; a PostgreSQL deployment gets it only when asked for.
  if (config.DATABASE_URL && config.DEMO_DATA !== true) {
    log.info('demo data skipped on PostgreSQL (set DEMO_DATA=true to seed it)');
    return [];
  }
  const started = performance.now();
  const result = await seedDemoRegistry(db, config, log, storage);
  if (result.created) {
    // Each module's demo runs after the registry it builds on, and is idempotent on its own.
    const catalogue = await seedCatalogue(db);
    const billing = await seedBilling(db);
    const rgpd = await seedRgpd(db);
    const rgpdCases = await seedRgpdCases(db, new Date());
    const actsSeeded = await seedActs(db, storage, new Date());
    const governance = await seedGovernance(db, storage, new Date());
    if (governance.assemblies > 0) result.lines.push(ELU_ACCOUNT.line);
    const cyber = await seedCyber(db, new Date());
    const connect = await seedConnect(db, new Date());
    const hosting = await seedHosting(db, new Date(), config.publicUrl);
    if (hosting.account) result.lines.push(HOSTING_ACCOUNT.line);
    const support = {
      ...(await seedSupport(db, new Date())),
      ...(await seedTrainings(db, new Date())),
      ...(await seedTrainingFollowUp(db, new Date())),
      ...(await seedArticles(db)),
    };
    log.info(
      {
        durationMs: Math.round(performance.now() - started),
        catalogue,
        billing,
        rgpd,
        rgpdCases,
        acts: actsSeeded,
        governance,
        cyber,
        connect,
        hosting,
        support,
      },
      'demo data created',
    );
  }
  return result.lines;
}

/**
 * The registry part of the demo (the operator, its members, people and accounts), without the modules'
 * demos that ensureDemoData runs after it: for a test of one module's demo, which needs the members only.
 */
export async function seedDemoRegistry(
  db: Db,
  config: Config,
  log: FastifyBaseLogger,
  storage: ObjectStorage,
): Promise<{ created: boolean; lines: string[] }> {
  return db.transaction(async (tx) => {
    // Two instances starting on one PostgreSQL server must not both seed.
    await tx.execute(sql`SELECT pg_advisory_xact_lock(hashtext('socle.demo_seed'))`);
    const [operator] = await tx
      .select({ id: organisations.id })
      .from(organisations)
      .where(eq(organisations.kind, 'operator'));
    if (operator) return { created: false, lines: await existingAccountLines(tx as Tx) };
    const seeded = await seed(tx as Tx, config, storage, log);
    return { created: seeded !== null, lines: seeded ?? [] };
  });
}

async function existingAccountLines(tx: Tx): Promise<string[]> {
  const accounts: DemoAccount[] = [...Object.values(ACCOUNTS), ELU_ACCOUNT, HOSTING_ACCOUNT];
  const rows = await tx
    .select({ email: users.email })
    .from(users)
    .where(
      inArray(
        users.email,
        accounts.map((a) => a.email),
      ),
    );
  const present = new Set(rows.map((r) => r.email));
  return accounts.filter((a) => present.has(a.email)).map((a) => a.line);
}

async function seed(tx: Tx, config: Config, storage: ObjectStorage, log: FastifyBaseLogger) {
  const rng = new Random(SEED);
  const regionCodes = config.regions;

  const territoryCommunes = await tx
    .select({
      code: communes.code,
      name: communes.name,
      departementCode: communes.departementCode,
      siren: communes.siren,
      postalCodes: communes.postalCodes,
      population: communes.population,
      epciCode: communes.epciCode,
    })
    .from(communes)
    .where(and(inArray(communes.regionCode, regionCodes), sql`${communes.abolishedAt} IS NULL`))
    .orderBy(communes.code);
  if (territoryCommunes.length === 0) {
    log.warn({ regions: regionCodes }, 'no territory imported for the operator regions: demo data skipped');
    return null;
  }
  const territoryEpci = await tx
    .select({ code: epci.code, name: epci.name, type: epci.type })
    .from(epci)
    .where(
      sql`${epci.regionCodes} && ${`{${regionCodes.join(',')}}`}::text[] AND ${epci.abolishedAt} IS NULL`,
    )
    .orderBy(epci.code);
  const departementRows = await tx
    .select({ code: departements.code, name: departements.name })
    .from(departements)
    .where(inArray(departements.regionCode, regionCodes))
    .orderBy(departements.code);

  const sirens = new SirenFactory(
    new Set([
      ...territoryCommunes.flatMap((c) => (c.siren ? [c.siren] : [])),
      ...territoryEpci.map((e) => e.code),
    ]),
  );
  const communeByCode = new Map(territoryCommunes.map((c) => [c.code, c]));
  const orgs: OrganisationRow[] = [];
  const statusOf = new Map<string, MembershipStatus>();
  const domainOf = new Map<string, string>();
  const addOrg = (
    row: Omit<OrganisationRow, 'id' | 'searchName'>,
    status: MembershipStatus,
    domain: string,
  ) => {
    const org = { ...row, id: rng.uuid(), searchName: searchKey(row.name), status };
    orgs.push(org);
    statusOf.set(org.id, status);
    domainOf.set(org.id, domain);
    return org;
  };
  const siretOf = (siren: string) => withLuhnDigit(`${siren}0001`);
  const randomStatus = () => rng.weighted(STATUS_WEIGHTS);

  // The operator itself.
  const operatorSiren = sirens.next('25');
  const operator = addOrg(
    {
      kind: 'operator',
      name: config.OPERATOR_NAME,
      siren: operatorSiren,
      siret: siretOf(operatorSiren),
      departementCode: departementRows.some((d) => d.code === '85') ? '85' : departementRows[0]?.code,
      address: 'Maison des collectivités, 10 boulevard de la Mutualisation',
      postalCode: '85000',
      city: 'La Roche-sur-Yon',
    },
    'member',
    'socle.example',
  );

  // Communes: the same share of every département, plus the communes given demo accounts.
  const forced = new Set<string>(Object.values(DEMO_COMMUNES));
  const chosenCommunes: typeof territoryCommunes = [];
  for (const dep of departementRows) {
    const ofDep = territoryCommunes.filter((c) => c.departementCode === dep.code && c.siren);
    const wanted = Math.round(ofDep.length * COMMUNE_SHARE);
    const picked = new Set(ofDep.filter((c) => forced.has(c.code)).map((c) => c.code));
    for (const c of rng.shuffle(ofDep)) {
      if (picked.size >= wanted) break;
      picked.add(c.code);
    }
    chosenCommunes.push(...ofDep.filter((c) => picked.has(c.code)));
  }
  const communeOrg = new Map<string, OrganisationRow>();
  for (const c of chosenCommunes) {
    // Only communes with a SIREN were chosen.
    const siren = defined(c.siren, `the SIREN of commune ${c.code}`);
    const org = addOrg(
      {
        kind: 'commune',
        name: c.name,
        siren,
        siret: siretOf(siren),
        communeCode: c.code,
        epciCode: c.epciCode,
        departementCode: c.departementCode,
        address: rng.pick([
          '1 place de la Mairie',
          "Place de l'Église",
          '2 rue de la Mairie',
          'Hôtel de ville, place du Général-de-Gaulle',
          '3 place de la République',
        ]),
        postalCode: c.postalCodes[0] ?? null,
        city: c.name,
      },
      forced.has(c.code) ? 'member' : randomStatus(),
      `${slug(c.name)}.example`,
    );
    communeOrg.set(c.code, org);
  }

  // Every EPCI of the region, seated in its most populous commune of the region.
  const seatOf = new Map<string, (typeof territoryCommunes)[number]>();
  for (const c of territoryCommunes) {
    if (!c.epciCode) continue;
    const seat = seatOf.get(c.epciCode);
    if (!seat || (c.population ?? 0) > (seat.population ?? 0)) seatOf.set(c.epciCode, c);
  }
  const epciOrg = new Map<string, OrganisationRow>();
  for (const e of territoryEpci) {
    const seat = seatOf.get(e.code);
    const org = addOrg(
      {
        kind: 'epci',
        epciType: e.type,
        name: e.name,
        siren: e.code,
        siret: siretOf(e.code),
        epciCode: e.code,
        departementCode: seat?.departementCode ?? operator.departementCode,
        address: 'Siège communautaire',
        postalCode: seat?.postalCodes[0] ?? null,
        city: seat?.name ?? null,
      },
      randomStatus(),
      `${slug(e.name, '-').slice(0, 40).replace(/-+$/, '')}.example`,
    );
    epciOrg.set(e.code, org);
  }

  const otherOrg = (
    kind: OrganisationRow['kind'],
    name: string,
    prefix: Parameters<SirenFactory['next']>[0],
    place: (typeof territoryCommunes)[number],
    extra: Partial<OrganisationRow> = {},
  ) => {
    const siren = sirens.next(prefix);
    return addOrg(
      {
        kind,
        name,
        siren,
        siret: siretOf(siren),
        departementCode: place.departementCode,
        address: rng.pick([
          '1 rue des Écoles',
          '4 allée des Tilleuls',
          '12 rue du Stade',
          '2 place du Marché',
        ]),
        postalCode: place.postalCodes[0] ?? null,
        city: place.name,
        ...extra,
      },
      randomStatus(),
      `${slug(name, '-').slice(0, 40).replace(/-+$/, '')}.example`,
    );
  };

  // CCAS of the largest member communes, CIAS of a few EPCI.
  const bySize = [...chosenCommunes].sort((a, b) => (b.population ?? 0) - (a.population ?? 0));
  for (const c of bySize.slice(0, 72)) {
    otherOrg('ccas', `CCAS ${ofPlace(c.name)}`, '26', c, {
      parentId: defined(communeOrg.get(c.code), `the organisation of commune ${c.code}`).id,
      population: c.population,
    });
  }
  for (const e of rng.shuffle(territoryEpci).slice(0, 8)) {
    const seat = seatOf.get(e.code);
    if (!seat) continue;
    otherOrg('ccas', `CIAS – ${e.name}`, '26', seat, {
      parentId: defined(epciOrg.get(e.code), `the organisation of EPCI ${e.code}`).id,
    });
  }

  // Care homes and social establishments in mid-sized towns.
  const towns = chosenCommunes.filter((c) => (c.population ?? 0) >= 1500);
  for (const c of rng.shuffle(towns).slice(0, 40)) {
    otherOrg('medico_social', medicoSocialName(rng, c.name), '26', c);
  }

  // Syndicats, named after two communes of one département.
  const syndicatNames = new Set<string>();
  while (syndicatNames.size < 30) {
    const a = rng.pick(chosenCommunes);
    const sameDep = chosenCommunes.filter(
      (c) => c.departementCode === a.departementCode && c.code !== a.code,
    );
    const b = rng.pick(sameDep);
    const { name, kind } = syndicatName(rng, a.name, b.name, DEPARTEMENT_OF[a.departementCode] ?? '');
    if (syndicatNames.has(name)) continue;
    syndicatNames.add(name);
    otherOrg(kind, name, '25', a, { population: rng.int(15, 600) * 100 });
  }

  // One structure départementale per département, the centre de gestion.
  for (const dep of departementRows) {
    const seat =
      communeByCode.get(PREFECTURES[dep.code] ?? '') ??
      defined(
        territoryCommunes.find((c) => c.departementCode === dep.code),
        `a commune of département ${dep.code}`,
      );
    otherOrg(
      'structure_departementale',
      `Centre de gestion de la fonction publique territoriale ${DEPARTEMENT_OF[dep.code] ?? `(${dep.name})`}`,
      '28',
      seat,
    );
  }

  const prefectureOr = (code: string) => communeByCode.get(code) ?? territoryCommunes[0];
  otherOrg('spl', 'SPL Vendée Services Numériques', '39', prefectureOr('85191'));
  otherOrg('spl', 'SEM Anjou Territoires Connectés', '39', prefectureOr('49007'));

  for (let i = 0; i < 10; i++) {
    const town = rng.pick(towns);
    otherOrg('autre', otherBodyName(rng, town.name), '27', town);
  }

  // Users and their roles.
  const userIds = Object.fromEntries(Object.keys(ACCOUNTS).map((k) => [k, rng.uuid()])) as Record<
    keyof typeof ACCOUNTS,
    string
  >;
  // One hash for every account: they share a published password, and argon2 is the slow part of the seed.
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  const laRoche = communeOrg.get(DEMO_COMMUNES.laRocheSurYon);
  const sables = communeOrg.get(DEMO_COMMUNES.lesSablesDOlonne);
  const faymoreau = communeOrg.get(DEMO_COMMUNES.faymoreau);
  const puyDeSerre = communeOrg.get(DEMO_COMMUNES.puyDeSerre);
  const roles: (typeof organisationUsers.$inferInsert)[] = [
    { memberId: operator.id, userId: userIds.admin, role: 'admin', scopes: [] },
    { memberId: operator.id, userId: userIds.dpo, role: 'agent', scopes: ['dpo'] },
    { memberId: operator.id, userId: userIds.finance, role: 'agent', scopes: ['finance'] },
    { memberId: operator.id, userId: userIds.cyber, role: 'agent', scopes: ['cyber'] },
    { memberId: operator.id, userId: userIds.assistance, role: 'agent', scopes: ['support'] },
  ];
  if (laRoche) roles.push({ memberId: laRoche.id, userId: userIds.laRoche, role: 'admin', scopes: [] });
  if (sables) roles.push({ memberId: sables.id, userId: userIds.sables, role: 'admin', scopes: [] });
  if (faymoreau)
    roles.push({ memberId: faymoreau.id, userId: userIds.secretaire, role: 'agent', scopes: [] });
  if (puyDeSerre)
    roles.push({ memberId: puyDeSerre.id, userId: userIds.secretaire, role: 'agent', scopes: [] });
  const withRole = new Set(roles.map((r) => r.userId));
  const accountRows = (Object.keys(ACCOUNTS) as (keyof typeof ACCOUNTS)[])
    .map((key) => ({
      id: userIds[key],
      email: ACCOUNTS[key].email,
      displayName: ACCOUNTS[key].displayName,
      passwordHash,
      createdAt: new Date('2026-01-05T09:00:00Z'),
    }))
    .filter((u) => withRole.has(u.id));

  // Histories, contacts and délibérations.
  const contacts: ContactRow[] = [];
  const events: EventRow[] = [];
  const documents: DocumentRow[] = [];
  const files: { key: string; data: Buffer }[] = [];
  const decisions: { on: string; reference?: string | null; event: EventRow }[] = [];
  for (const org of orgs) {
    if (org.kind === 'operator') continue;
    const status = defined(statusOf.get(org.id), `the status of ${org.name}`);
    for (const c of contactsFor(rng, status, defined(domainOf.get(org.id), `the domain of ${org.name}`))) {
      contacts.push(contactRow(rng.uuid(), org.id, c));
    }
    const steps = membershipHistory(rng, status);
    for (const step of steps) {
      const event: EventRow = {
        id: rng.uuid(),
        memberId: org.id,
        fromStatus: step.from,
        toStatus: step.to,
        effectiveOn: step.on,
        note: step.note,
        actorUserId: step.on >= '2026-01-05' ? userIds.admin : null,
        createdAt: new Date(`${step.on}T10:00:00Z`),
      };
      if (step.deliberation) {
        const document = deliberation(rng, org, step);
        documents.push({ ...document.row, uploadedBy: event.actorUserId });
        files.push({ key: document.row.storageKey, data: document.data });
        event.documentId = document.row.id;
      }
      if (step.committeeDecision) decisions.push({ on: step.on, event });
      events.push(event);
    }
    const first = steps[0];
    const last = steps[steps.length - 1];
    org.createdAt = new Date(`${first.on}T10:00:00Z`);
    org.statusChangedAt = new Date(`${last.on}T10:00:00Z`);
    org.updatedAt = org.statusChangedAt;
  }
  numberCommitteeDecisions(decisions);
  for (const d of decisions) d.event.decisionReference = d.reference;
  operator.createdAt = new Date('2014-10-01T09:00:00Z');
  operator.statusChangedAt = operator.createdAt;
  operator.updatedAt = operator.createdAt;

  // The secrétaire de mairie appears in both communes' files.
  for (const org of [faymoreau, puyDeSerre]) {
    if (!org) continue;
    const existing = contacts.find((c) => c.memberId === org.id && c.role === 'dgs_secretaire');
    if (existing)
      Object.assign(existing, {
        firstName: 'Nathalie',
        lastName: 'Bonnin',
        email: ACCOUNTS.secretaire.email,
      });
  }

  await insertRows(
    tx,
    organisations,
    orgs.filter((o) => !o.parentId),
  );
  await insertRows(
    tx,
    organisations,
    orgs.filter((o) => o.parentId),
  );
  await insertRows(tx, users, accountRows);
  await insertRows(tx, organisationUsers, roles);
  await insertRows(tx, memberContacts, contacts);
  await insertRows(tx, memberDocuments, documents);
  await insertRows(tx, membershipEvents, events);
  await insertRows(
    tx,
    auditEvents,
    auditTrail(rng, userIds, { laRoche, faymoreau, events }).map((row) => ({ details: {}, ...row })),
  );
  await insertRows(tx, outboxMails, outbox(config, { laRoche, orgs, statusOf }));
  await Promise.all(files.map((f) => storage.put(f.key, f.data)));

  log.info(
    {
      members: orgs.length - 1,
      contacts: contacts.length,
      events: events.length,
      documents: documents.length,
    },
    'demo registry seeded',
  );
  return accountRows.map(
    (u) =>
      defined(
        Object.values(ACCOUNTS).find((a) => a.email === u.email),
        `the account ${u.email}`,
      ).line,
  );
}

function contactRow(id: string, memberId: string, c: ContactDraft): ContactRow {
  const at = new Date('2026-01-05T09:00:00Z');
  return { id, memberId, ...c, createdAt: at, updatedAt: at };
}

const KIND_ASSEMBLY: Record<string, string> = {
  commune: 'conseil municipal',
  epci: 'conseil communautaire',
  syndicat_mixte: 'comité syndical',
  syndicat_intercommunal: 'comité syndical',
  ccas: "conseil d'administration",
  medico_social: "conseil d'administration",
  structure_departementale: "conseil d'administration",
  spl: "conseil d'administration",
  autre: "conseil d'administration",
};

function deliberation(rng: Random, org: OrganisationRow, step: HistoryStep) {
  const assembly = KIND_ASSEMBLY[org.kind] ?? "conseil d'administration";
  const joining = step.deliberation === 'adhesion';
  const number = `${step.on.slice(0, 4)}-${String(rng.int(1, 120)).padStart(3, '0')}`;
  const object = joining
    ? 'Adhésion au Syndicat mixte e-Collectivités'
    : 'Retrait du Syndicat mixte e-Collectivités';
  const title = `Délibération ${joining ? "d'adhésion" : 'de retrait'} n° ${number} du ${frenchDate(step.on)}`;
  const data = renderPdf(title, [
    { text: org.name, bold: true, size: 16 },
    { text: `Extrait du registre des délibérations du ${assembly}`, size: 12, gapBefore: 4 },
    { text: `Séance du ${frenchDate(step.on)} — délibération n° ${number}`, gapBefore: 14 },
    { text: `Objet : ${object}`, bold: true, gapBefore: 10 },
    {
      text: joining
        ? `Vu le code général des collectivités territoriales, notamment ses articles L. 5721-1 et suivants ; vu les statuts du Syndicat mixte e-Collectivités ; considérant l'intérêt de mutualiser les services numériques, le ${assembly}, après en avoir délibéré, à l'unanimité :`
        : `Vu le code général des collectivités territoriales, notamment son article L. 5721-6-3 ; vu les statuts du Syndicat mixte e-Collectivités, le ${assembly}, après en avoir délibéré :`,
      gapBefore: 10,
    },
    {
      text: joining
        ? '- décide d’adhérer au Syndicat mixte e-Collectivités et d’en approuver les statuts ;'
        : '- décide de demander son retrait du Syndicat mixte e-Collectivités au 31 décembre ;',
      gapBefore: 6,
    },
    {
      text: joining
        ? '- désigne un délégué titulaire et un délégué suppléant au comité syndical ;'
        : '- charge l’exécutif de notifier la présente délibération au syndicat ;',
    },
    { text: '- autorise l’exécutif à signer tout document relatif à la présente décision.' },
    { text: `Fait et délibéré le ${frenchDate(step.on)}.`, gapBefore: 14 },
    {
      text: 'Document de démonstration généré par Socle — sans valeur juridique.',
      size: 9,
      gapBefore: 40,
    },
  ]);
  const id = rng.uuid();
  return {
    data,
    row: {
      id,
      memberId: org.id,
      kind: 'deliberation',
      title,
      fileName: `deliberation-${joining ? 'adhesion' : 'retrait'}-${slug(org.name, '-').slice(0, 40)}-${step.on}.pdf`,
      mediaType: 'application/pdf',
      sizeBytes: data.length,
      sha256: crypto.createHash('sha256').update(data).digest('hex'),
      storageKey: `members/${org.id}/${id}.pdf`,
      documentDate: step.on,
      createdAt: new Date(`${step.on}T11:00:00Z`),
    } satisfies DocumentRow,
  };
}

/** Audit entries shaped like the ones the accounts and members services write. */
function auditTrail(
  rng: Random,
  userIds: Record<keyof typeof ACCOUNTS, string>,
  ctx: { laRoche?: OrganisationRow; faymoreau?: OrganisationRow; events: EventRow[] },
): (typeof auditEvents.$inferInsert)[] {
  const at = (iso: string) => new Date(iso);
  const invitationId = rng.uuid();
  const rows: (typeof auditEvents.$inferInsert)[] = [
    {
      occurredAt: at('2026-11-02T08:47:12Z'),
      actorUserId: userIds.admin,
      action: 'auth.login.succeeded',
      ipAddress: '192.0.2.10',
    },
    {
      occurredAt: at('2026-11-03T13:05:40Z'),
      actorUserId: userIds.laRoche,
      action: 'auth.login.failed',
      ipAddress: '198.51.100.23',
      details: { reason: 'wrong_password' },
    },
    {
      occurredAt: at('2026-11-03T13:06:15Z'),
      actorUserId: userIds.laRoche,
      action: 'auth.login.succeeded',
      ipAddress: '198.51.100.23',
    },
    {
      occurredAt: at('2026-11-04T09:30:00Z'),
      actorUserId: userIds.admin,
      memberId: ctx.faymoreau?.id ?? null,
      action: 'invitation.created',
      targetType: 'invitation',
      targetId: invitationId,
      ipAddress: '192.0.2.10',
      details: { role: 'agent', scopes: [] },
    },
    {
      occurredAt: at('2026-11-04T16:12:31Z'),
      actorUserId: userIds.secretaire,
      memberId: ctx.faymoreau?.id ?? null,
      action: 'invitation.accepted',
      targetType: 'invitation',
      targetId: invitationId,
      ipAddress: '203.0.113.41',
      details: { role: 'agent', newAccount: true },
    },
  ];
  // The latest lifecycle steps, as the operator's staff recorded them.
  const recent = ctx.events
    .filter((e) => e.effectiveOn >= '2026-10-01' && e.fromStatus !== null)
    .sort((a, b) => (a.effectiveOn < b.effectiveOn ? -1 : 1))
    .slice(-12);
  for (const e of recent) {
    const when = new Date(`${e.effectiveOn}T14:20:00Z`);
    if (e.documentId) {
      rows.push({
        occurredAt: when,
        actorUserId: userIds.admin,
        memberId: e.memberId,
        action: 'member.document_uploaded',
        targetType: 'member_document',
        targetId: e.documentId,
        ipAddress: '192.0.2.10',
        details: { kind: 'deliberation' },
      });
    }
    rows.push({
      occurredAt: new Date(when.getTime() + 60_000),
      actorUserId: userIds.admin,
      memberId: e.memberId,
      action: 'member.status_changed',
      targetType: 'membership_event',
      targetId: e.id,
      ipAddress: '192.0.2.10',
      details: { from: e.fromStatus, to: e.toStatus },
    });
  }
  return rows;
}

function outbox(
  config: Config,
  ctx: { laRoche?: OrganisationRow; orgs: OrganisationRow[]; statusOf: Map<string, MembershipStatus> },
): (typeof outboxMails.$inferInsert)[] {
  const url = config.publicUrl;
  const sessions = committeeSessions();
  const longDate = (iso: string) =>
    new Date(`${iso}T12:00:00Z`).toLocaleDateString('fr-FR', {
      day: 'numeric',
      month: 'long',
      year: 'numeric',
      timeZone: 'UTC',
    });
  const lastSession = longDate(
    defined(sessions.filter((s) => s <= HISTORY_END).at(-1), 'a committee session before HISTORY_END'),
  );
  const nextSession = longDate(
    defined(sessions.find((s) => s > HISTORY_END) ?? sessions.at(-1), 'a committee session'),
  );
  const requested = ctx.orgs.find((o) => ctx.statusOf.get(o.id) === 'requested');
  const accepted = ctx.orgs.find((o) => ctx.statusOf.get(o.id) === 'accepted');
  const mail = (sentAt: string, toAddress: string, subject: string, textBody: string) => ({
    toAddress,
    subject,
    textBody,
    transport: 'outbox',
    createdAt: new Date(sentAt),
    sentAt: new Date(sentAt),
  });
  const rows = [
    mail(
      '2026-11-04T09:30:01Z',
      ACCOUNTS.secretaire.email,
      'Invitation à rejoindre Faymoreau sur Socle',
      `Bonjour,\n\nClaire Morel vous invite à rejoindre l'espace de la commune de Faymoreau sur Socle, la plateforme du ${config.OPERATOR_NAME}.\n\nCette invitation de démonstration a déjà été acceptée.\n\n${url}\n`,
    ),
    mail(
      '2026-11-03T13:10:00Z',
      ACCOUNTS.laRoche.email,
      'Bienvenue sur Socle',
      `Bonjour Hélène Rabiller,\n\nVotre compte d'administratrice de La Roche-sur-Yon est actif. Vous pouvez inviter vos collègues depuis l'onglet « Mes utilisateurs ».\n\n${url}\n`,
    ),
  ];
  if (requested) {
    rows.push(
      mail(
        '2026-11-05T10:02:00Z',
        'adhesions@socle.example',
        `Nouvelle demande d'adhésion : ${requested.name}`,
        `Bonjour,\n\n${requested.name} a déposé sa délibération d'adhésion. La demande sera examinée par le comité syndical du ${nextSession}.\n\n${url}\n`,
      ),
    );
  }
  if (accepted) {
    rows.push(
      mail(
        '2026-10-06T08:15:00Z',
        `contact@${slug(accepted.name)}.example`,
        'Votre adhésion a été acceptée par le comité syndical',
        `Bonjour,\n\nLe comité syndical du ${config.OPERATOR_NAME} a accepté l'adhésion de ${accepted.name} lors de sa séance du ${lastSession}. La convention d'adhésion vous sera adressée prochainement.\n\n${url}\n`,
      ),
    );
  }
  return rows;
}
