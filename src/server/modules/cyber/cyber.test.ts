import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { users } from '../../kernel/identity.schema.js';
import { createTestApp, request, type TestApp } from '../../test/app.js';
import { multipart } from '../../test/bodies.js';
import { buildOrganisation, sessionAs } from '../../test/builders.js';
import { buildService } from '../catalogue/catalogue.test-support.js';
import { buildSubscription } from '../subscriptions/subscriptions.test-support.js';
import { addItem, buildCyberCast, csafFixture } from './cyber.test-support.js';

let t: TestApp;
let cast: Awaited<ReturnType<typeof buildCyberCast>>;
const v1 = '/api/v1';
const member = (id: string) => `${v1}/members/${id}`;

beforeAll(async () => {
  t = await createTestApp();
  cast = await buildCyberCast(t);
});
afterAll(async () => {
  await t.close();
});

describe('inventory', () => {
  it('is kept by the member admin and référent sécurité, read by the cyber team, hidden from others', async () => {
    const a = member(cast.communeA.id);
    const created = await request(t.app, cast.cyberA, 'POST', `${a}/inventory`, {
      kind: 'server',
      name: 'Serveur de fichiers',
      vendor: 'Microsoft',
      product: 'Windows Server',
      version: '2016',
      exposure: 'internal',
    });
    expect(created.statusCode).toBe(201);
    expect(created.json()).toMatchObject({ kind: 'server', runner: 'member', source: 'member', quantity: 1 });
    await addItem(t, cast.adminA, cast.communeA.id, {
      kind: 'workstation',
      name: 'Postes de la mairie',
      quantity: 42,
    });

    const list = await request(t.app, cast.cyberTeam, 'GET', `${a}/inventory`);
    expect(list.statusCode).toBe(200);
    expect(list.json().summary.byKind).toEqual(
      expect.arrayContaining([
        { kind: 'workstation', count: 42 },
        { kind: 'server', count: 1 },
      ]),
    );
    for (const session of [cast.agentA, cast.readerA, cast.adminB, cast.cyberB, cast.dpo]) {
      expect((await request(t.app, session, 'GET', `${a}/inventory`)).statusCode).toBe(403);
    }
    expect((await request(t.app, null, 'GET', `${a}/inventory`)).statusCode).toBe(401);
    const wrong = await request(t.app, cast.adminA, 'POST', `${a}/inventory`, {
      kind: 'software',
      name: 'X',
      cpe: 'pas un cpe',
    });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.body).toContain('Nom CPE 2.3 attendu');
  });

  it("brings the software of the operator's services to their subscribers only, versions declared by the team", async () => {
    const db = t.database.db;
    const service = await buildService(db, { name: 'Messagerie collaborative', domain: 'hebergement' });
    await buildSubscription(db, { memberId: cast.communeA.id, serviceId: service.id });
    const put = await request(t.app, cast.cyberTeam, 'PUT', `${v1}/cyber/services/${service.id}/software`, {
      items: [
        { name: 'Serveur de messagerie', vendor: 'Zimbra', product: 'Collaboration', version: '9.0.0' },
      ],
    });
    expect(put.statusCode).toBe(200);
    expect(put.json()).toMatchObject({ subscribers: 1, items: [{ version: '9.0.0' }] });
    const listA = (
      await request(t.app, cast.adminA, 'GET', `${member(cast.communeA.id)}/inventory?source=catalogue`)
    ).json();
    expect(listA.items).toMatchObject([
      {
        product: 'Collaboration',
        version: '9.0.0',
        runner: 'operator',
        serviceName: 'Messagerie collaborative',
      },
    ]);
    const listB = (
      await request(t.app, cast.adminB, 'GET', `${member(cast.communeB.id)}/inventory?source=catalogue`)
    ).json();
    expect(listB.items).toEqual([]);
    // A catalogue line is the operator's: the member cannot change it.
    const patch = await request(
      t.app,
      cast.adminA,
      'PATCH',
      `${member(cast.communeA.id)}/inventory/${listA.items[0].id}`,
      {
        version: '1.0',
      },
    );
    expect(patch.statusCode).toBe(403);
    // A new version declared by the team is every subscriber's at once.
    await request(t.app, cast.cyberTeam, 'PUT', `${v1}/cyber/services/${service.id}/software`, {
      items: [
        { name: 'Serveur de messagerie', vendor: 'Zimbra', product: 'Collaboration', version: '9.0.1' },
      ],
    });
    const again = (
      await request(t.app, cast.adminA, 'GET', `${member(cast.communeA.id)}/inventory?source=catalogue`)
    ).json();
    expect(again.items).toMatchObject([{ id: listA.items[0].id, version: '9.0.1' }]);
  });

  it('imports a CSV file: a dry run first, one French message per faulty line, nothing half-written', async () => {
    const url = `${member(cast.communeB.id)}/inventory/import`;
    const file = (text: string) => multipart({}, { name: 'inventaire.csv', data: Buffer.from(text, 'utf8') });
    const bad = file(
      'type;nom;quantite;editeur;produit;version;exposition\nlogiciel;Pare-feu;1;Fortinet;FortiOS;7.2.4;internet\nimprimante;Copieur;1;;;;\nposte;Postes;zéro;;;;\n',
    );
    const dry = await request(t.app, cast.adminB, 'POST', `${url}?dryRun=true`, bad.payload, bad.headers);
    expect(dry.statusCode).toBe(200);
    expect(dry.json().errors).toEqual([
      { line: 3, column: 'type', message: 'Type « imprimante » inconnu(e).' },
      expect.objectContaining({ line: 4, column: 'quantite' }),
    ]);
    const refused = await request(
      t.app,
      cast.adminB,
      'POST',
      `${url}?dryRun=false`,
      bad.payload,
      bad.headers,
    );
    expect(refused.statusCode).toBe(422);
    expect(refused.body).toContain('Ligne 3');
    const before = (await request(t.app, cast.adminB, 'GET', `${member(cast.communeB.id)}/inventory`)).json();
    expect(before.total).toBe(0);
    const good = file(
      'type;nom;quantite;editeur;produit;version;exposition\nlogiciel;Pare-feu;1;Fortinet;FortiOS;7.2.4;internet\nPostes de travail;Postes;12;;;;interne\n',
    );
    const done = await request(t.app, cast.adminB, 'POST', `${url}?dryRun=false`, good.payload, good.headers);
    expect(done.json()).toMatchObject({ dryRun: false, rows: 2, created: 2, errors: [] });
    const exported = await request(t.app, cast.adminB, 'GET', `${member(cast.communeB.id)}/inventory.csv`);
    expect(exported.statusCode).toBe(200);
    expect(exported.body).toContain('FortiOS');
    expect(exported.body.split('\r\n')[0]).toContain(
      'type;nom;quantite;editeur;produit;version;cpe;exploitant;exposition',
    );
  });
});

describe('advisories', () => {
  let advisoryId: string;

  it('notifies exactly the affected members (admins, référents, security contact), and shows each only its own', async () => {
    const other = await buildOrganisation(t.database.db, { name: 'Syndicat sans Fortinet' });
    const otherAdmin = await sessionAs(t, other, 'admin');
    await addItem(t, otherAdmin, other.id, {
      name: 'Pare-feu',
      vendor: 'Fortinet',
      product: 'FortiOS',
      version: '7.2.5',
    });
    await addItem(t, cast.adminA, cast.communeA.id, {
      name: 'Pare-feu A',
      vendor: 'Fortinet',
      product: 'FortiOS',
      version: '7.0.9',
    });
    await request(t.app, cast.adminA, 'PUT', `${member(cast.communeA.id)}/cyber-profile`, {
      nis2InScope: false,
      securityContactEmail: 'rssi@la-roche.example',
    });
    const sentBefore = t.mail.delivered.length;
    const created = await request(t.app, cast.cyberTeam, 'POST', `${v1}/cyber/advisories/manual`, {
      title: 'Débordement de tas dans FortiOS SSL-VPN',
      reference: 'CERTFR-2026-ALE-001',
      severity: 'critical',
      cves: ['CVE-2024-21762'],
      products: [
        {
          vendor: 'Fortinet',
          product: 'FortiOS',
          versionRange: 'vers:generic/>=7.0.0|<7.0.14|>=7.2.0|<7.2.5',
        },
      ],
    });
    expect(created.statusCode).toBe(201);
    // A (7.0.9) and B (7.2.4, imported above) are affected; the commune on 7.2.5 is not.
    expect(created.json().affectedMembers).toBe(2);
    advisoryId = created.json().id;
    const mails = t.mail.delivered.slice(sentBefore);
    const to = mails.map((m) => m.to).sort();
    expect(to).toEqual(
      [
        ...[cast.adminA, cast.cyberA, cast.adminB, cast.cyberB].map((s) => emailOf(s.userId)),
        'rssi@la-roche.example',
      ].sort(),
    );
    expect(mails[0]?.subject).toContain('CERTFR-2026-ALE-001');

    const exposure = await request(
      t.app,
      cast.cyberTeam,
      'GET',
      `${v1}/cyber/advisories/${advisoryId}/exposure`,
    );
    expect(exposure.json().counts).toEqual({ affected: 2, remediated: 0, overdue: 0 });
    expect(
      exposure
        .json()
        .items.map((i: { memberName: string }) => i.memberName)
        .sort(),
    ).toEqual(['Aizenay', 'La Roche-sur-Yon']);
    expect(
      (await request(t.app, cast.adminA, 'GET', `${v1}/cyber/advisories/${advisoryId}/exposure`)).statusCode,
    ).toBe(403);
    const otherList = await request(t.app, otherAdmin, 'GET', `${member(other.id)}/advisories`);
    expect(otherList.json().items).toEqual([]);
    expect(
      (await request(t.app, otherAdmin, 'GET', `${member(other.id)}/advisories/${advisoryId}`)).statusCode,
    ).toBe(404);
  });

  it('lists the exposed members by name, page by page, and follows a member renamed', async () => {
    const url = `${v1}/cyber/advisories/${advisoryId}/exposure`;
    const names = async () => {
      const first = (await request(t.app, cast.cyberTeam, 'GET', `${url}?limit=1`)).json();
      const second = (
        await request(t.app, cast.cyberTeam, 'GET', `${url}?limit=1&cursor=${first.nextCursor}`)
      ).json();
      expect(second.nextCursor).toBeNull();
      expect([first.total, second.total]).toEqual([2, 2]);
      return [...first.items, ...second.items].map((i: { memberName: string }) => i.memberName);
    };
    expect(await names()).toEqual(['Aizenay', 'La Roche-sur-Yon']);
    const renamed = await request(t.app, cast.operatorAdmin, 'PATCH', member(cast.communeB.id), {
      name: 'Vairé',
    });
    expect(renamed.statusCode, renamed.body).toBe(200);
    expect(await names()).toEqual(['La Roche-sur-Yon', 'Vairé']);
    await request(t.app, cast.operatorAdmin, 'PATCH', member(cast.communeB.id), { name: 'Aizenay' });
    expect(await names()).toEqual(['Aizenay', 'La Roche-sur-Yon']);
  });

  it('tracks remediation per asset with the due date of the severity; the exposure follows', async () => {
    const a = member(cast.communeA.id);
    const list = (await request(t.app, cast.cyberA, 'GET', `${a}/advisories`)).json();
    expect(list.items).toMatchObject([{ id: advisoryId, state: 'to_do', assets: 1, severity: 'critical' }]);
    const detail = (await request(t.app, cast.cyberA, 'GET', `${a}/advisories/${advisoryId}`)).json();
    const remediation = detail.remediations[0];
    const due = new Date(Date.now() + 7 * 86_400_000).toISOString().slice(0, 10);
    expect(Math.abs(Date.parse(remediation.dueOn) - Date.parse(due))).toBeLessThanOrEqual(86_400_000);
    expect(remediation.asset).toMatchObject({ name: 'Pare-feu A', version: '7.0.9' });
    const refused = await request(t.app, cast.cyberA, 'PATCH', `${a}/remediations/${remediation.id}`, {
      state: 'risk_accepted',
    });
    expect(refused.statusCode).toBe(400);
    expect(refused.body).toContain('Justifiez');
    const patched = await request(t.app, cast.cyberA, 'PATCH', `${a}/remediations/${remediation.id}`, {
      state: 'patched',
    });
    expect(patched.json()).toMatchObject({ state: 'patched', overdue: false });
    // B's people cannot touch A's remediation, even through their own path.
    const foreign = await request(
      t.app,
      cast.adminB,
      'PATCH',
      `${member(cast.communeB.id)}/remediations/${remediation.id}`,
      {
        state: 'patched',
      },
    );
    expect(foreign.statusCode).toBe(404);
    const exposure = (
      await request(
        t.app,
        cast.cyberTeam,
        'GET',
        `${v1}/cyber/advisories/${advisoryId}/exposure?state=remediated`,
      )
    ).json();
    expect(exposure.items).toMatchObject([{ memberId: cast.communeA.id, state: 'remediated' }]);
    expect(exposure.total).toBe(1);
    expect(exposure.counts).toEqual({ affected: 2, remediated: 1, overdue: 0 });
    const toDo = (
      await request(t.app, cast.cyberTeam, 'GET', `${v1}/cyber/advisories/${advisoryId}/exposure?state=to_do`)
    ).json();
    expect(toDo.items).toMatchObject([{ memberId: cast.communeB.id, state: 'to_do' }]);
    expect(toDo.total).toBe(1);
  });

  it('imports a real CSAF advisory (BSI), refuses it twice and refuses an invalid document with the validator’s reasons', async () => {
    await addItem(t, cast.adminB, cast.communeB.id, {
      name: 'Convertisseur',
      vendor: 'CSAF Tools',
      product: 'CVRF-CSAF-Converter',
      version: '1.0.0-rc1',
    });
    const doc = csafFixture('bsi-2022-0001.json');
    const imported = await request(t.app, cast.cyberTeam, 'POST', `${v1}/cyber/advisories`, doc);
    expect(imported.statusCode).toBe(201);
    expect(imported.json().affectedMembers).toBe(1);
    const again = await request(t.app, cast.cyberTeam, 'POST', `${v1}/cyber/advisories`, doc);
    expect(again.statusCode).toBe(409);
    const broken = {
      ...doc,
      document: { ...(doc.document as object), category: undefined, csaf_version: '2.0' },
    };
    const invalid = await request(t.app, cast.cyberTeam, 'POST', `${v1}/cyber/advisories`, broken);
    expect(invalid.statusCode).toBe(400);
    expect(invalid.json().detail).toContain('CSAF 2.0');
    const detail = (
      await request(t.app, cast.cyberTeam, 'GET', `${v1}/cyber/advisories/${imported.json().id}`)
    ).json();
    expect(detail).toMatchObject({ reference: 'BSI-2022-0001', source: 'csaf', cves: ['CVE-2022-27193'] });
  });
});

function emailOf(userId: string): string {
  return emails.get(userId) ?? userId;
}
const emails = new Map<string, string>();
beforeAll(async () => {
  const rows = await t.database.db.select({ id: users.id, email: users.email }).from(users);
  for (const row of rows) emails.set(row.id, row.email);
});
