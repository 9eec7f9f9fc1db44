/**
 * France-scale member registry for the benchmark: every commune that has a SIREN, every EPCI, and
 * CCAS, care homes, syndicats… up to the requested count, each with contacts and a membership
 * history. Deterministic (seeded), written with one JSON parameter per few thousand rows
 * (json_populate_recordset), which costs about what COPY does on both PostgreSQL and PGlite.
 */
import { sql } from 'drizzle-orm';
import { withLuhnDigit } from '../src/contracts/identifiers.js';
import type { MembershipStatus } from '../src/contracts/members.js';
import { searchKey } from '../src/contracts/search.js';
import { hashPassword } from '../src/server/modules/accounts/password.js';
import { type Db, rowsOf } from '../src/server/platform/db/client.js';
import {
  contactsFor,
  medicoSocialName,
  membershipHistory,
  numberCommitteeDecisions,
  ofPlace,
  otherBodyName,
  SirenFactory,
  slug,
  syndicatName,
} from '../src/server/seed/generators.js';
import { Random } from '../src/server/seed/random.js';

export const BENCH_ADMIN = { email: 'bench@socle.example', password: 'bench-password-2026' };

const STATUS_WEIGHTS: Record<MembershipStatus, number> = {
  prospect: 8,
  requested: 3,
  accepted: 2,
  member: 75,
  withdrawal_requested: 3,
  withdrawn: 9,
};

/** Shares of the structures that are neither communes nor EPCI. */
const OTHER_KINDS = {
  ccas: 55,
  medico_social: 20,
  syndicat: 15,
  structure_departementale: 2,
  spl: 3,
  autre: 5,
} as const;

interface CommuneRow {
  code: string;
  name: string;
  departement_code: string;
  siren: string;
  postal_codes: string[];
  population: number | null;
  epci_code: string | null;
}

export interface GenerateReport {
  members: number;
  byKind: Record<string, number>;
  contacts: number;
  events: number;
  ms: number;
}

export async function generateMembers(
  db: Db,
  options: { members: number; seed?: number },
): Promise<GenerateReport> {
  const started = performance.now();
  const rng = new Random(options.seed ?? 20_260_099);
  const communes = rowsOf<CommuneRow>(
    await db.execute(sql`
      SELECT code, name, departement_code, siren, postal_codes, population, epci_code FROM communes
      WHERE siren IS NOT NULL AND abolished_at IS NULL ORDER BY code`),
  );
  const epcis = rowsOf<{ code: string; name: string; type: string; departement_codes: string[] }>(
    await db.execute(
      sql`SELECT code, name, type, departement_codes FROM epci WHERE abolished_at IS NULL ORDER BY code`,
    ),
  );
  const deps = rowsOf<{ code: string; name: string }>(
    await db.execute(sql`SELECT code, name FROM departements ORDER BY code`),
  );
  if (communes.length === 0) throw new Error('import the territory first (importTerritory)');

  const sirens = new SirenFactory(new Set([...communes.map((c) => c.siren), ...epcis.map((e) => e.code)]));
  const now = new Date().toISOString();
  const orgs: Record<string, unknown>[] = [];
  const statusOf: MembershipStatus[] = [];
  const domainOf: string[] = [];
  const byKind: Record<string, number> = {};
  const add = (row: Record<string, unknown>, status: MembershipStatus, domain: string) => {
    const id = rng.uuid();
    const siren = row.siren as string;
    orgs.push({
      id,
      epci_type: null,
      commune_code: null,
      epci_code: null,
      parent_id: null,
      population: null,
      siret: withLuhnDigit(`${siren}0001`),
      search_name: searchKey(row.name as string),
      // json_populate_recordset leaves a missing key null, not the column's default.
      chorus_service_code_required: false,
      status,
      ...row,
    });
    statusOf.push(status);
    domainOf.push(domain);
    byKind[row.kind as string] = (byKind[row.kind as string] ?? 0) + 1;
    return id;
  };
  const place = (c: CommuneRow) => ({
    departement_code: c.departement_code,
    postal_code: c.postal_codes[0] ?? null,
    city: c.name,
  });
  const status = () => rng.weighted(STATUS_WEIGHTS);

  const operatorSiren = sirens.next('25');
  add(
    {
      kind: 'operator',
      name: 'Opérateur national (banc de mesure)',
      siren: operatorSiren,
      departement_code: '85',
      address: '1 place de la Mutualisation',
      postal_code: '85000',
      city: 'La Roche-sur-Yon',
    },
    'member',
    'socle.example',
  );

  const communeShare = Math.min(communes.length, Math.round(options.members * 0.7));
  const chosen = communeShare === communes.length ? communes : rng.shuffle(communes).slice(0, communeShare);
  const communeOrg = new Map<string, string>();
  for (const c of chosen) {
    const id = add(
      {
        kind: 'commune',
        name: c.name,
        siren: c.siren,
        commune_code: c.code,
        epci_code: c.epci_code,
        address: '1 place de la Mairie',
        ...place(c),
      },
      status(),
      `${slug(c.name)}.example`,
    );
    communeOrg.set(c.code, id);
  }

  const seatOf = new Map<string, CommuneRow>();
  for (const c of communes) {
    if (!c.epci_code) continue;
    const seat = seatOf.get(c.epci_code);
    if (!seat || (c.population ?? 0) > (seat.population ?? 0)) seatOf.set(c.epci_code, c);
  }
  const epciCount = Math.min(epcis.length, Math.round(options.members * 0.025));
  for (const e of epcis.slice(0, epciCount)) {
    const seat = seatOf.get(e.code);
    add(
      {
        kind: 'epci',
        epci_type: e.type,
        name: e.name,
        siren: e.code,
        epci_code: e.code,
        address: 'Siège communautaire',
        ...(seat
          ? place(seat)
          : { departement_code: e.departement_codes[0] ?? null, postal_code: null, city: null }),
      },
      status(),
      `${slug(e.name, '-').slice(0, 40).replace(/-+$/, '')}.example`,
    );
  }

  const others = Math.max(0, options.members - chosen.length - epciCount);
  const ccasTowns = [...communes].sort((a, b) => (b.population ?? 0) - (a.population ?? 0));
  let nextCcas = 0;
  for (let i = 0; i < others; i++) {
    const kind = rng.weighted(OTHER_KINDS);
    const c = rng.pick(communes);
    const domainFor = (name: string) => `${slug(name, '-').slice(0, 40).replace(/-+$/, '')}.example`;
    const other = (row: Record<string, unknown>, prefix: Parameters<SirenFactory['next']>[0]) =>
      add(
        { siren: sirens.next(prefix), address: '2 rue des Écoles', ...place(c), ...row },
        status(),
        domainFor(row.name as string),
      );
    switch (kind) {
      case 'ccas': {
        const town = ccasTowns[nextCcas++ % ccasTowns.length];
        const parent = communeOrg.get(town.code);
        other(
          {
            kind: 'ccas',
            name: `CCAS ${ofPlace(town.name)}${nextCcas > ccasTowns.length ? ` (${Math.ceil(nextCcas / ccasTowns.length)})` : ''}`,
            parent_id: parent ?? null,
            population: town.population,
            ...place(town),
          },
          '26',
        );
        break;
      }
      case 'medico_social':
        other({ kind: 'medico_social', name: medicoSocialName(rng, c.name) }, '26');
        break;
      case 'syndicat': {
        const b = rng.pick(communes);
        const dep = deps.find((d) => d.code === c.departement_code);
        const s = syndicatName(rng, c.name, b.name, dep ? ofPlace(dep.name) : '');
        other({ kind: s.kind, name: s.name, population: rng.int(15, 600) * 100 }, '25');
        break;
      }
      case 'structure_departementale': {
        const dep = deps.find((d) => d.code === c.departement_code);
        other(
          {
            kind: 'structure_departementale',
            name: `Centre de gestion de la fonction publique territoriale (${dep?.name ?? c.departement_code})`,
          },
          '28',
        );
        break;
      }
      case 'spl':
        other({ kind: 'spl', name: `SPL des services numériques ${ofPlace(c.name)}` }, '39');
        break;
      default:
        other({ kind: 'autre', name: otherBodyName(rng, c.name) }, '27');
    }
  }

  // Contacts and histories.
  const contacts: Record<string, unknown>[] = [];
  const events: Record<string, unknown>[] = [];
  const decisions: { on: string; reference?: string | null; event: Record<string, unknown> }[] = [];
  orgs.forEach((org, i) => {
    if (org.kind === 'operator') return;
    for (const c of contactsFor(rng, statusOf[i], domainOf[i])) {
      contacts.push({
        id: rng.uuid(),
        member_id: org.id,
        role: c.role,
        first_name: c.firstName,
        last_name: c.lastName,
        email: c.email,
        phone: c.phone,
        created_at: now,
        updated_at: now,
      });
    }
    const steps = membershipHistory(rng, statusOf[i]);
    for (const step of steps) {
      const event: Record<string, unknown> = {
        id: rng.uuid(),
        member_id: org.id,
        from_status: step.from,
        to_status: step.to,
        effective_on: step.on,
        decision_reference: null,
        document_id: null,
        note: step.note,
        actor_user_id: null,
        created_at: `${step.on}T10:00:00Z`,
      };
      if (step.committeeDecision) decisions.push({ on: step.on, event });
      events.push(event);
    }
    org.created_at = `${steps[0].on}T10:00:00Z`;
    org.status_changed_at = `${steps[steps.length - 1].on}T10:00:00Z`;
    org.updated_at = org.status_changed_at;
  });
  numberCommitteeDecisions(decisions);
  for (const d of decisions) d.event.decision_reference = d.reference;
  orgs[0].created_at = now;
  orgs[0].status_changed_at = now;
  orgs[0].updated_at = now;

  await db.transaction(async (tx) => {
    await insertJson(
      tx as unknown as Db,
      'organisations',
      orgs.filter((o) => !o.parent_id),
    );
    await insertJson(
      tx as unknown as Db,
      'organisations',
      orgs.filter((o) => o.parent_id),
    );
    await insertJson(tx as unknown as Db, 'member_contacts', contacts);
    await insertJson(tx as unknown as Db, 'membership_events', events);
    const userId = rng.uuid();
    const passwordHash = await hashPassword(BENCH_ADMIN.password);
    await tx.execute(sql`INSERT INTO users (id, email, display_name, password_hash)
      VALUES (${userId}, ${BENCH_ADMIN.email}, 'Banc de mesure', ${passwordHash})`);
    await tx.execute(
      sql`INSERT INTO organisation_users (member_id, user_id, role) VALUES (${orgs[0].id as string}, ${userId}, 'admin')`,
    );
  });
  await db.execute(sql`ANALYZE`);

  return {
    members: orgs.length - 1,
    byKind,
    contacts: contacts.length,
    events: events.length,
    ms: Math.round(performance.now() - started),
  };
}

/** One INSERT … SELECT FROM json_populate_recordset per batch: one parameter, any number of rows. */
async function insertJson(db: Db, table: string, rows: Record<string, unknown>[], batch = 5000) {
  for (let i = 0; i < rows.length; i += batch) {
    const json = JSON.stringify(rows.slice(i, i + batch));
    await db.execute(
      sql`INSERT INTO ${sql.identifier(table)} SELECT * FROM json_populate_recordset(NULL::${sql.identifier(table)}, ${json}::json)`,
    );
  }
}
