import { and, asc, count, eq, inArray, like } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { statusSchema } from '../../../contracts/hosting.js';
import { users } from '../../kernel/identity.schema.js';
import { auditEvents } from '../../platform/audit/audit.schema.js';
import { useClock } from '../../platform/clock.js';
import { SYSTEM_OPERATOR, withTenant } from '../../platform/db/tenancy.js';
import { jobs } from '../../platform/jobs/jobs.schema.js';
import { enqueue } from '../../platform/jobs/queue.js';
import { JobRunner } from '../../platform/jobs/worker.js';
import { Mailer, MemoryTransport } from '../../platform/mail/mailer.js';
import { sweepStorage } from '../../platform/storage/sweep.js';
import { createTestApp, request, type Session, type TestApp } from '../../test/app.js';
import { multipart, tinyPdf } from '../../test/bodies.js';
import { openAnotherConnection } from '../../test/database.js';
import { buildService } from '../catalogue/catalogue.test-support.js';
import { subscriptions } from '../subscriptions/subscriptions.schema.js';
import { buildSubscription } from '../subscriptions/subscriptions.test-support.js';
import { registerHostingJobs } from './hosting.jobs.js';
import { SEAT_REQUEST_NOTIFY_JOB } from './hosting.licences.service.js';
import { MONITOR_CHECK_JOB, queueDueChecks } from './hosting.monitors.service.js';
import { HostAllowList } from './hosting.probe.js';
import { hostingChecks, hostingMonitors } from './hosting.schema.js';
import { addInstance, buildHostingCast, flakyServer, instanceBody } from './hosting.test-support.js';

let t: TestApp;
let cast: Awaited<ReturnType<typeof buildHostingCast>>;
const v1 = '/api/v1';
let at = new Date('2026-03-02T09:00:30.000Z');
let restoreClock: () => void;

beforeAll(async () => {
  restoreClock = useClock({ now: () => new Date(at.getTime()) });
  t = await createTestApp();
  cast = await buildHostingCast(t);
});
afterAll(async () => {
  await t.close();
  restoreClock();
});

const minutes = (n: number) => n * 60_000;

describe('instances: where the data lives and who runs it', () => {
  it('are declared by the hosting team on a live subscription and read by the member only', async () => {
    const a = `${v1}/members/${cast.memberA.id}`;
    const created = await addInstance(
      t,
      cast.hostingTeam,
      cast.memberA.id,
      instanceBody(cast.subscription.id),
    );
    const list = await request(t.app, cast.readerA, 'GET', `${a}/instances`);
    expect(list.statusCode).toBe(200);
    expect(list.json().items).toMatchObject([
      {
        id: created.id,
        serviceName: 'Messagerie hébergée',
        qualification: 'secnumcloud',
        datacentre: 'DC Nantes 1',
        restoreTestOverdue: true,
        lastRestoreTest: null,
        state: 'operational',
      },
    ]);
    for (const session of [cast.adminB, cast.cyberTeam]) {
      expect((await request(t.app, session, 'GET', `${a}/instances`)).statusCode).toBe(403);
    }
    expect((await request(t.app, null, 'GET', `${a}/instances`)).statusCode).toBe(401);
    // Members do not declare instances; a subscription of another member is refused by name.
    expect(
      (
        await request(
          t.app,
          cast.adminA,
          'POST',
          `${a}/instances`,
          instanceBody(cast.subscription.id, { name: 'X' }),
        )
      ).statusCode,
    ).toBe(403);
    const foreign = await request(
      t.app,
      cast.hostingTeam,
      'POST',
      `${v1}/members/${cast.memberB.id}/instances`,
      instanceBody(cast.subscription.id),
    );
    expect(foreign.statusCode).toBe(400);
    expect(foreign.json().errors).toEqual([{ path: 'body.subscriptionId', message: expect.any(String) }]);
    const bad = await request(t.app, cast.hostingTeam, 'POST', `${a}/instances`, {
      ...instanceBody(cast.subscription.id),
      rtoMinutes: -5,
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('rtoMinutes');

    // The team edits it; a member may not; another member's path finds nothing.
    const edited = instanceBody(cast.subscription.id, { softwareVersion: '10.1.0', rpoMinutes: 720 });
    const put = await request(t.app, cast.hostingTeam, 'PUT', `${a}/instances/${created.id}`, edited);
    expect(put.statusCode).toBe(200);
    expect(put.json()).toMatchObject({ id: created.id, softwareVersion: '10.1.0', rpoMinutes: 720 });
    expect(
      (await request(t.app, cast.adminA, 'PUT', `${a}/instances/${created.id}`, edited)).statusCode,
    ).toBe(403);
    const elsewhere = await request(
      t.app,
      cast.hostingTeam,
      'PUT',
      `${v1}/members/${cast.memberB.id}/instances/${created.id}`,
      edited,
    );
    expect(elsewhere.statusCode).toBe(404);
  });

  it('keeps backups and restore tests: measured RTO/RPO against the targets, overdue tests flagged', async () => {
    const a = `${v1}/members/${cast.memberA.id}`;
    const [instance] = (await request(t.app, cast.adminA, 'GET', `${a}/instances`)).json().items;
    const backup = await request(t.app, cast.hostingTeam, 'POST', `${a}/instances/${instance.id}/backups`, {
      at: new Date(at.getTime() - minutes(300)).toISOString(),
    });
    expect(backup.statusCode).toBe(200);
    expect(backup.json()).toMatchObject({
      lastBackupAt: new Date(at.getTime() - minutes(300)).toISOString(),
      backups: [{ succeeded: true, sizeBytes: null, durationMinutes: null, note: '' }],
    });
    const tested = await request(
      t.app,
      cast.hostingTeam,
      'POST',
      `${a}/instances/${instance.id}/restore-tests`,
      {
        testedAt: new Date(at.getTime() - 100 * 86_400_000).toISOString(),
        durationMinutes: 300,
        dataAgeMinutes: 600,
      },
    );
    expect(tested.statusCode).toBe(201);
    expect(tested.json()).toMatchObject({
      restoreTestOverdue: true,
      lastRestoreTest: { rtoMet: false, rpoMet: true },
      restoreTests: [{ durationMinutes: 300 }],
    });
    await request(t.app, cast.hostingTeam, 'POST', `${a}/instances/${instance.id}/restore-tests`, {
      testedAt: new Date(at.getTime() - 86_400_000).toISOString(),
      durationMinutes: 90,
      dataAgeMinutes: 600,
    });
    const detail = (await request(t.app, cast.agentA, 'GET', `${a}/instances/${instance.id}`)).json();
    expect(detail).toMatchObject({ restoreTestOverdue: false, lastRestoreTest: { rtoMet: true } });
    expect(detail.restoreTests).toHaveLength(2);
    const hidden = await request(
      t.app,
      cast.adminB,
      'GET',
      `${v1}/members/${cast.memberB.id}/instances/${instance.id}`,
    );
    expect(hidden.statusCode).toBe(404);
  });
});

describe('backup runs', () => {
  it('record successes and failures; the latest success is the last one, audited', async () => {
    const a = `${v1}/members/${cast.memberA.id}`;
    const instance = await addInstance(
      t,
      cast.hostingTeam,
      cast.memberA.id,
      instanceBody(cast.subscription.id, { name: 'Instance des sauvegardes' }),
    );
    const url = `${a}/instances/${instance.id}/backups`;
    const ago = (n: number) => new Date(at.getTime() - minutes(n)).toISOString();
    const ok = await request(t.app, cast.hostingTeam, 'POST', url, {
      at: ago(120),
      succeeded: true,
      sizeBytes: 5_368_709_120,
      durationMinutes: 42,
      note: 'Sauvegarde complète',
    });
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toMatchObject({
      lastBackupAt: ago(120),
      backups: [{ at: ago(120), succeeded: true, sizeBytes: 5_368_709_120, durationMinutes: 42 }],
    });
    // A failure later, then a success recorded late: neither moves the last success.
    await request(t.app, cast.hostingTeam, 'POST', url, {
      at: ago(60),
      succeeded: false,
      note: 'Disque plein',
    });
    const late = await request(t.app, cast.hostingTeam, 'POST', url, { at: ago(600), succeeded: true });
    expect(late.json().lastBackupAt).toBe(ago(120));
    expect(late.json().backups.map((b: { succeeded: boolean }) => b.succeeded)).toEqual([false, true, true]);
    const seen = (await request(t.app, cast.readerA, 'GET', `${a}/instances/${instance.id}`)).json();
    expect(seen.backups).toHaveLength(3);

    // French refusals naming the field; the future is refused; members may not record.
    const bad = await request(t.app, cast.hostingTeam, 'POST', url, { at: 'hier', sizeBytes: -1 });
    expect(bad.statusCode).toBe(400);
    const messages = bad
      .json()
      .errors.map((e: { path: string; message: string }) => `${e.path}: ${e.message}`);
    expect(messages.join('\n')).toMatch(/body\.at: .*date de la sauvegarde/);
    expect(messages.join('\n')).toMatch(/body\.sizeBytes: .*taille de la sauvegarde/);
    const future = await request(t.app, cast.hostingTeam, 'POST', url, { at: ago(-60) });
    expect(future.statusCode).toBe(400);
    expect(future.json().errors).toEqual([
      { path: 'body.at', message: expect.stringContaining('dans le futur') },
    ]);
    expect((await request(t.app, cast.adminA, 'POST', url, { at: ago(5) })).statusCode).toBe(403);
    const elsewhere = await request(
      t.app,
      cast.hostingTeam,
      'POST',
      `${v1}/members/${cast.memberB.id}/instances/${instance.id}/backups`,
      { at: ago(5) },
    );
    expect(elsewhere.statusCode).toBe(404);
    const audit = await t.database.db
      .select({ n: count() })
      .from(auditEvents)
      .where(and(eq(auditEvents.action, 'hosting.backup.record'), eq(auditEvents.targetId, instance.id)));
    expect(audit[0]?.n).toBe(3);
  });
});

describe('continuity plans', () => {
  it('are written by the hosting team and read by the subscribers of the service only', async () => {
    const put = await request(
      t.app,
      cast.hostingTeam,
      'PUT',
      `${v1}/hosting/services/${cast.service.id}/continuity-plan`,
      {
        rtoMinutes: 240,
        rpoMinutes: 1440,
        procedures: 'Bascule sur le centre de secours, restauration de la dernière sauvegarde.',
        lastExerciseOn: '2026-02-10',
        lastExerciseSummary: 'Bascule réussie en 3 h.',
      },
    );
    expect(put.statusCode).toBe(200);
    expect(put.json()).toMatchObject({ serviceName: 'Messagerie hébergée', rtoMinutes: 240 });
    const plans = await request(
      t.app,
      cast.readerA,
      'GET',
      `${v1}/members/${cast.memberA.id}/continuity-plans`,
    );
    expect(plans.json().items).toMatchObject([{ serviceId: cast.service.id, lastExerciseOn: '2026-02-10' }]);
    const none = await request(
      t.app,
      cast.adminB,
      'GET',
      `${v1}/members/${cast.memberB.id}/continuity-plans`,
    );
    expect(none.json().items).toEqual([]);
    const bad = await request(
      t.app,
      cast.hostingTeam,
      'PUT',
      `${v1}/hosting/services/${cast.service.id}/continuity-plan`,
      {
        rtoMinutes: 240,
        rpoMinutes: 1440,
        procedures: '',
      },
    );
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('procedures');
    expect(
      (
        await request(
          t.app,
          cast.adminA,
          'PUT',
          `${v1}/hosting/services/${cast.service.id}/continuity-plan`,
          {
            rtoMinutes: 1,
            rpoMinutes: 1,
            procedures: 'Rien.',
          },
        )
      ).statusCode,
    ).toBe(403);
  });
});

describe('continuity plans: procedures as documents', () => {
  const docs = `${v1}/hosting/services`;
  const upload = (session: Session, serviceId: string, name: string, data: Buffer) => {
    const body = multipart({}, { name, data });
    return request(
      t.app,
      session,
      'POST',
      `${docs}/${serviceId}/continuity-plan/documents`,
      body.payload,
      body.headers,
    );
  };
  const zip = (text: string) => Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04]), Buffer.from(text)]);

  it('are attached by the team, read by the subscribers, removed, audited, and refused by name', async () => {
    const service = cast.service.id;
    const pdf = await upload(cast.hostingTeam, service, 'Procédure de bascule.pdf', tinyPdf());
    expect(pdf.statusCode).toBe(201);
    expect(pdf.json()).toMatchObject({
      serviceId: service,
      fileName: 'Procédure de bascule.pdf',
      mediaType: 'application/pdf',
    });
    const odt = await upload(cast.opAdmin, service, 'restauration.odt', zip('odt'));
    expect(odt.json().mediaType).toBe('application/vnd.oasis.opendocument.text');
    const docx = await upload(cast.hostingTeam, service, 'communication.docx', zip('docx'));
    expect(docx.statusCode).toBe(201);

    // Refusals name the file: another type, a content that is not what its name says, a service
    // without a plan; nothing is stored for them.
    const stored = t.storage.objects.size;
    const txt = await upload(cast.hostingTeam, service, 'notes.txt', Buffer.from('texte'));
    expect(txt.statusCode).toBe(415);
    expect(txt.json().detail).toContain('« notes.txt »');
    expect(txt.json().detail).toContain('PDF, ODT, DOCX');
    const fake = await upload(cast.hostingTeam, service, 'faux.pdf', zip('pas un pdf'));
    expect(fake.statusCode).toBe(415);
    expect(fake.json().detail).toContain('« faux.pdf »');
    const noPlan = await upload(cast.hostingTeam, cast.other.id, 'plan.pdf', tinyPdf());
    expect(noPlan.statusCode).toBe(404);
    expect(noPlan.json().detail).toContain('« plan.pdf »');
    const empty = await upload(cast.hostingTeam, service, 'vide.pdf', Buffer.alloc(0));
    expect(empty.statusCode).toBe(400);
    expect(empty.json().detail).toContain('« vide.pdf »');
    expect(t.storage.objects.size).toBe(stored);
    // Members and other operator agents attach nothing.
    for (const session of [cast.adminA, cast.cyberTeam]) {
      expect((await upload(session, service, 'x.pdf', tinyPdf())).statusCode).toBe(403);
    }

    // The plan's readers see the documents with the plan and download them.
    const plans = await request(
      t.app,
      cast.readerA,
      'GET',
      `${v1}/members/${cast.memberA.id}/continuity-plans`,
    );
    expect(plans.json().items[0].documents.map((d: { fileName: string }) => d.fileName)).toEqual([
      'Procédure de bascule.pdf',
      'restauration.odt',
      'communication.docx',
    ]);
    const memberUrl = (memberId: string, documentId: string) =>
      `${v1}/members/${memberId}/continuity-plans/${service}/documents/${documentId}`;
    const download = await request(t.app, cast.readerA, 'GET', memberUrl(cast.memberA.id, pdf.json().id));
    expect(download.statusCode).toBe(200);
    expect(download.headers['content-type']).toBe('application/pdf');
    expect(download.headers['content-disposition']).toContain('attachment');
    expect(download.rawPayload.equals(tinyPdf())).toBe(true);
    const team = await request(t.app, cast.hostingTeam, 'GET', `${docs}/${service}/continuity-plan`);
    expect(team.json().documents).toHaveLength(3);
    const teamDownload = await request(
      t.app,
      cast.hostingTeam,
      'GET',
      `${docs}/${service}/continuity-plan/documents/${odt.json().id}`,
    );
    expect(teamDownload.statusCode).toBe(200);
    // Member B subscribes to nothing: its own path finds nothing, member A's is refused.
    expect(
      (await request(t.app, cast.adminB, 'GET', memberUrl(cast.memberB.id, pdf.json().id))).statusCode,
    ).toBe(404);
    expect(
      (await request(t.app, cast.adminB, 'GET', memberUrl(cast.memberA.id, pdf.json().id))).statusCode,
    ).toBe(403);

    // The team removes one: gone for everyone, its file left to the start-up sweep.
    const removeUrl = `${docs}/${service}/continuity-plan/documents/${docx.json().id}`;
    expect((await request(t.app, cast.adminA, 'DELETE', removeUrl)).statusCode).toBe(403);
    expect((await request(t.app, cast.hostingTeam, 'DELETE', removeUrl)).statusCode).toBe(204);
    expect((await request(t.app, cast.hostingTeam, 'DELETE', removeUrl)).statusCode).toBe(404);
    expect(
      (await request(t.app, cast.readerA, 'GET', memberUrl(cast.memberA.id, docx.json().id))).statusCode,
    ).toBe(404);
    const key = `hosting/continuity/${service}/${docx.json().id}`;
    expect(t.storage.objects.has(key)).toBe(true);
    await sweepStorage(t.database.db, t.storage, { minAgeMs: -1 });
    expect(t.storage.objects.has(key)).toBe(false);
    expect(t.storage.objects.has(`hosting/continuity/${service}/${pdf.json().id}`)).toBe(true);

    const audited = await t.database.db
      .select({ action: auditEvents.action, details: auditEvents.details })
      .from(auditEvents)
      .where(
        and(eq(auditEvents.targetId, service), like(auditEvents.action, 'hosting.continuity-document.%')),
      );
    expect(audited.map((e) => e.action).sort()).toEqual([
      'hosting.continuity-document.add',
      'hosting.continuity-document.add',
      'hosting.continuity-document.add',
      'hosting.continuity-document.delete',
    ]);
  });
});

describe('status: incidents, maintenance, public page and feed', () => {
  it('an incident declared by the team shows on the public page, the feed and the subscriber’s home, and mails it', async () => {
    const before = t.mail.delivered.length;
    const opened = await request(t.app, cast.hostingTeam, 'POST', `${v1}/hosting/incidents`, {
      serviceIds: [cast.service.id],
      title: 'Lenteurs de la messagerie',
      state: 'degraded',
      message: 'Les envois sont retardés.',
    });
    expect(opened.statusCode).toBe(201);
    const { id } = opened.json();
    const mails = t.mail.delivered.slice(before);
    // Member A's admin and agent (not its reader); member B subscribes to nothing.
    expect(mails.map((m) => m.subject)).toEqual([
      '[Socle] Incident : Lenteurs de la messagerie',
      '[Socle] Incident : Lenteurs de la messagerie',
    ]);

    const status = await request(t.app, null, 'GET', `${v1}/status`);
    expect(status.statusCode).toBe(200);
    const body = status.json();
    expect(body.services).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          serviceId: cast.service.id,
          state: 'degraded',
          history: [{ date: '2026-03-02', state: 'degraded' }],
        }),
      ]),
    );
    expect(body.incidents[0]).toMatchObject({
      id,
      phase: 'investigating',
      updates: [{ message: 'Les envois sont retardés.' }],
    });

    const home = await request(t.app, cast.readerA, 'GET', `${v1}/members/${cast.memberA.id}/service-states`);
    expect(home.json()).toMatchObject({
      items: [{ serviceId: cast.service.id, state: 'degraded' }],
      incidents: [{ id }],
    });
    const homeB = await request(t.app, cast.adminB, 'GET', `${v1}/members/${cast.memberB.id}/service-states`);
    expect(homeB.json()).toMatchObject({ items: [], incidents: [] });

    const feed = await request(t.app, null, 'GET', `${v1}/status/feed.atom`);
    expect(feed.statusCode).toBe(200);
    expect(feed.headers['content-type']).toContain('application/atom+xml');
    expectAtom(feed.body);
    expect(feed.body).toContain('<title>Lenteurs de la messagerie</title>');

    at = new Date(at.getTime() + minutes(30));
    const worse = await request(t.app, cast.hostingTeam, 'POST', `${v1}/hosting/incidents/${id}/updates`, {
      phase: 'identified',
      state: 'major_outage',
      message: 'Le serveur de messagerie est arrêté.',
    });
    expect(worse.statusCode).toBe(201);
    expect(worse.json().updates.map((u: { phase: string }) => u.phase)).toEqual([
      'identified',
      'investigating',
    ]);
    at = new Date(at.getTime() + minutes(30));
    const resolved = await request(t.app, cast.hostingTeam, 'POST', `${v1}/hosting/incidents/${id}/updates`, {
      phase: 'resolved',
      message: 'Tout est rétabli.',
    });
    expect(resolved.json()).toMatchObject({ phase: 'resolved', resolvedAt: at.toISOString() });
    const again = await request(t.app, cast.hostingTeam, 'POST', `${v1}/hosting/incidents/${id}/updates`, {
      phase: 'monitoring',
      message: 'Encore ?',
    });
    expect(again.statusCode).toBe(422);
    expect(t.mail.delivered.slice(before)).toHaveLength(6);

    // Resolved: the page lists it shortly (its worst state, no timeline); its own page has the timeline.
    const after = statusSchema.parse((await request(t.app, null, 'GET', `${v1}/status`)).json());
    expect(after.incidents.some((i) => i.id === id)).toBe(false);
    expect(after.recentIncidents[0]).toEqual({
      id,
      title: 'Lenteurs de la messagerie',
      worstState: 'major_outage',
      automatic: false,
      startedAt: new Date(at.getTime() - minutes(60)).toISOString(),
      resolvedAt: at.toISOString(),
      services: [{ serviceId: cast.service.id, name: cast.service.name }],
    });
    expect(after.recentIncidents[0]).not.toHaveProperty('updates');
    const page = await request(t.app, null, 'GET', `${v1}/status/incidents/${id}`);
    expect(page.statusCode).toBe(200);
    expect(page.json()).toMatchObject({ id, phase: 'resolved', state: 'major_outage' });
    expect(page.json().updates.map((u: { message: string }) => u.message)).toEqual([
      'Tout est rétabli.',
      'Le serveur de messagerie est arrêté.',
      'Les envois sont retardés.',
    ]);
    const unknownIncident = await request(
      t.app,
      null,
      'GET',
      `${v1}/status/incidents/00000000-0000-4000-8000-000000000000`,
    );
    expect(unknownIncident.statusCode).toBe(404);
    const badIncident = await request(t.app, null, 'GET', `${v1}/status/incidents/pas-un-uuid`);
    expect(badIncident.statusCode).toBe(400);
    expect(badIncident.body).toContain('incidentId');
    // The feed keeps it with its timeline, linked to its page.
    const resolvedFeed = await request(t.app, null, 'GET', `${v1}/status/feed.atom`);
    expectAtom(resolvedFeed.body);
    expect(resolvedFeed.body).toContain('<title>[Résolu] Lenteurs de la messagerie</title>');
    expect(resolvedFeed.body).toContain(`/statut/incidents/${id}"/>`);
    expect(resolvedFeed.body).toContain('Le serveur de messagerie est arrêté.');

    // Degraded 30 min (not downtime), then 30 min of major outage.
    const availability = await request(
      t.app,
      cast.hostingTeam,
      'GET',
      `${v1}/hosting/services/${cast.service.id}/availability?month=2026-03`,
    );
    expect(availability.statusCode).toBe(200);
    expect(availability.json()).toMatchObject({
      downtimeMinutes: 30,
      slaTarget: 0.995,
      maintenanceMinutes: 0,
    });
    const wrongMonth = await request(
      t.app,
      cast.hostingTeam,
      'GET',
      `${v1}/hosting/services/${cast.service.id}/availability?month=2026-13`,
    );
    expect(wrongMonth.statusCode).toBe(400);
    expect(wrongMonth.body).toContain('AAAA-MM');
  });

  it('maintenance needs the minimum notice, shows as the state while it runs and is left out of availability', async () => {
    const tooSoon = await request(t.app, cast.hostingTeam, 'POST', `${v1}/hosting/maintenances`, {
      serviceIds: [cast.service.id],
      title: 'Mise à jour',
      message: 'Redémarrage.',
      startsAt: new Date(at.getTime() + minutes(60)).toISOString(),
      endsAt: new Date(at.getTime() + minutes(120)).toISOString(),
    });
    expect(tooSoon.statusCode).toBe(400);
    expect(tooSoon.json().errors[0].path).toBe('body.startsAt');
    const startsAt = new Date(at.getTime() + 3 * 86_400_000);
    const before = t.mail.delivered.length;
    const scheduled = await request(t.app, cast.opAdmin, 'POST', `${v1}/hosting/maintenances`, {
      serviceIds: [cast.service.id],
      title: 'Mise à jour de la messagerie',
      message: 'Redémarrage des serveurs.',
      startsAt: startsAt.toISOString(),
      endsAt: new Date(startsAt.getTime() + minutes(120)).toISOString(),
    });
    expect(scheduled.statusCode).toBe(201);
    expect(t.mail.delivered.slice(before)[0]?.subject).toBe(
      '[Socle] Maintenance programmée : Mise à jour de la messagerie',
    );
    const upcoming = (await request(t.app, null, 'GET', `${v1}/status`)).json();
    expect(upcoming.maintenances).toMatchObject([{ id: scheduled.json().id }]);

    at = new Date(startsAt.getTime() + minutes(10));
    const during = (await request(t.app, null, 'GET', `${v1}/status`)).json();
    expect(during.services.find((s: { serviceId: string }) => s.serviceId === cast.service.id).state).toBe(
      'maintenance',
    );
    // An outage inside the maintenance window is not downtime.
    const opened = await request(t.app, cast.hostingTeam, 'POST', `${v1}/hosting/incidents`, {
      serviceIds: [cast.service.id],
      title: 'Arrêt pendant la maintenance',
      state: 'major_outage',
      message: 'Arrêt.',
    });
    at = new Date(at.getTime() + minutes(20));
    await request(t.app, cast.hostingTeam, 'POST', `${v1}/hosting/incidents/${opened.json().id}/updates`, {
      phase: 'resolved',
      message: 'Fini.',
    });
    const availability = (
      await request(
        t.app,
        cast.hostingTeam,
        'GET',
        `${v1}/hosting/services/${cast.service.id}/availability?month=2026-03`,
      )
    ).json();
    // The month is counted up to now: 30 minutes of the maintenance so far.
    expect(availability).toMatchObject({ downtimeMinutes: 30, maintenanceMinutes: 30 });
    at = new Date(startsAt.getTime() + minutes(200));
  });

  it('refuses the team’s routes to others and unknown services by name', async () => {
    const body = { serviceIds: [cast.service.id], title: 'Essai', state: 'degraded', message: 'Essai.' };
    for (const session of [cast.cyberTeam, cast.adminA]) {
      expect((await request(t.app, session, 'POST', `${v1}/hosting/incidents`, body)).statusCode).toBe(403);
    }
    expect((await request(t.app, null, 'POST', `${v1}/hosting/incidents`, body)).statusCode).toBe(401);
    const unknown = await request(t.app, cast.hostingTeam, 'POST', `${v1}/hosting/incidents`, {
      ...body,
      serviceIds: ['00000000-0000-4000-8000-000000000000'],
    });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().errors[0].path).toBe('body.serviceIds.0');
  });
});

describe('monitors', () => {
  it('open an incident after N failures, resolve it on recovery, and feed the availability', async () => {
    const server = await flakyServer();
    try {
      at = new Date('2026-04-01T08:00:30.000Z');
      const created = await request(t.app, cast.hostingTeam, 'POST', `${v1}/hosting/monitors`, {
        serviceId: cast.other.id,
        kind: 'keyword',
        target: server.url,
        keyword: 'en forme',
        intervalSeconds: 60,
        failuresBeforeIncident: 3,
      });
      expect(created.statusCode).toBe(201);
      const monitorId = created.json().id;
      const tick = async (up: boolean) => {
        server.setUp(up);
        at = new Date(at.getTime() + minutes(1));
        await t.runJobs();
      };
      await t.runJobs(); // writes the minute's schedule
      await tick(true);
      const monitors = (await request(t.app, cast.hostingTeam, 'GET', `${v1}/hosting/monitors`)).json().items;
      expect(monitors.find((m: { id: string }) => m.id === monitorId)).toMatchObject({
        lastOk: true,
        lastMessage: 'réponse HTTP 200',
      });
      await tick(false);
      await tick(false);
      let status = (await request(t.app, null, 'GET', `${v1}/status`)).json();
      expect(status.services.find((s: { serviceId: string }) => s.serviceId === cast.other.id).state).toBe(
        'operational',
      );
      await tick(false);
      status = (await request(t.app, null, 'GET', `${v1}/status`)).json();
      expect(status.services.find((s: { serviceId: string }) => s.serviceId === cast.other.id).state).toBe(
        'major_outage',
      );
      const incident = status.incidents.find(
        (i: { automatic: boolean; resolvedAt: string | null }) => i.automatic && !i.resolvedAt,
      );
      expect(incident).toMatchObject({ title: 'Panne détectée : Sites internet', state: 'major_outage' });
      await tick(false);
      await tick(true);
      status = (await request(t.app, null, 'GET', `${v1}/status`)).json();
      expect(status.services.find((s: { serviceId: string }) => s.serviceId === cast.other.id).state).toBe(
        'operational',
      );
      expect(status.incidents.find((i: { id: string }) => i.id === incident.id)).toBeUndefined();
      expect(status.recentIncidents.find((i: { id: string }) => i.id === incident.id)).toMatchObject({
        automatic: true,
        worstState: 'major_outage',
      });
      const [{ n }] = await t.database.db
        .select({ n: count() })
        .from(hostingChecks)
        .where(eq(hostingChecks.monitorId, monitorId));
      expect(n).toBe(6);
      // Down from the first failed check to the recovery: four minutes.
      const availability = (
        await request(
          t.app,
          cast.hostingTeam,
          'GET',
          `${v1}/hosting/services/${cast.other.id}/availability?month=2026-04`,
        )
      ).json();
      expect(availability.downtimeMinutes).toBeGreaterThan(3.9);
      expect(availability.downtimeMinutes).toBeLessThan(4.1);
      await t.database.db
        .update(hostingMonitors)
        .set({ active: false })
        .where(eq(hostingMonitors.id, monitorId));
    } finally {
      await server.close();
    }
  });

  it('never checks twice with two processes on one database', async () => {
    const server = await flakyServer();
    const other = await openAnotherConnection(t.database);
    try {
      at = new Date('2026-05-01T08:00:30.000Z');
      const created = await request(t.app, cast.hostingTeam, 'POST', `${v1}/hosting/monitors`, {
        serviceId: cast.other.id,
        kind: 'http',
        target: `http://localhost:${server.port}/compte`,
        intervalSeconds: 60,
      });
      expect(created.statusCode).toBe(201);
      const second = new JobRunner(other.db);
      registerHostingJobs(second, {
        mailer: new Mailer(new MemoryTransport()),
        config: { MONITOR_ALLOWED_HOSTS: '', MONITOR_ALLOW_LOOPBACK: true, publicUrl: 'http://localhost' },
      });
      await Promise.all([t.runJobs(), second.runDue()]);
      for (let i = 0; i < 3; i++) {
        at = new Date(at.getTime() + minutes(1));
        await Promise.all([t.runJobs(), second.runDue(), t.runJobs(), second.runDue()]);
      }
      const [{ n }] = await t.database.db
        .select({ n: count() })
        .from(hostingChecks)
        .where(eq(hostingChecks.monitorId, created.json().id));
      // The minute missed since the last test's clock runs once, then one check a minute: each
      // due instant probed once although two runners looked twice each time.
      expect(n).toBe(4);
      expect(server.hits()).toBe(4);
    } finally {
      await other.close();
      await server.close();
    }
  });

  it('are checked at the instant they fall due within the minute, not at the minute’s start', async () => {
    const server = await flakyServer();
    try {
      at = new Date('2026-06-01T08:00:00.000Z');
      const start = at.getTime();
      const created = await t.database.db
        .insert(hostingMonitors)
        .values(
          [10_000, 40_000].map((offset) => ({
            serviceId: cast.other.id,
            kind: 'http' as const,
            target: server.url,
            intervalSeconds: 60,
            failuresBeforeIncident: 3,
            nextCheckAt: new Date(start + offset),
          })),
        )
        .returning({ id: hostingMonitors.id });
      const ids = created.map((m) => m.id);
      await withTenant(t.database.db, SYSTEM_OPERATOR, (tx) => queueDueChecks(tx));
      const queued = await t.database.db
        .select({ runAt: jobs.runAt, payload: jobs.payload })
        .from(jobs)
        .where(and(eq(jobs.name, MONITOR_CHECK_JOB), eq(jobs.state, 'pending')))
        .orderBy(asc(jobs.runAt));
      const mine = queued.filter((j) =>
        (j.payload as { checks: { monitorId: string }[] }).checks.some((c) => ids.includes(c.monitorId)),
      );
      expect(mine.map((j) => j.runAt.getTime())).toEqual([start + 10_000, start + 40_000]);
      const written = async () => {
        await t.app.jobs.runDue({ schedules: false });
        const [row] = await t.database.db
          .select({ n: count() })
          .from(hostingChecks)
          .where(inArray(hostingChecks.monitorId, ids));
        return row?.n;
      };
      expect(await written()).toBe(0);
      at = new Date(start + 10_001);
      expect(await written()).toBe(1);
      at = new Date(start + 40_001);
      expect(await written()).toBe(2);
      expect(server.hits()).toBe(2);
      await t.database.db
        .update(hostingMonitors)
        .set({ active: false })
        .where(inArray(hostingMonitors.id, ids));
    } finally {
      await server.close();
    }
  });

  it('refuse targets outside the allow-list, by address', async () => {
    const refused = await request(t.app, cast.hostingTeam, 'POST', `${v1}/hosting/monitors`, {
      serviceId: cast.other.id,
      kind: 'http',
      target: 'http://192.0.2.10/sante',
    });
    expect(refused.statusCode).toBe(400);
    expect(refused.json().errors).toEqual([
      { path: 'body.target', message: expect.stringContaining('non autorisé') },
    ]);
    expect(await new HostAllowList('', false).check('127.0.0.1')).toHaveProperty('refused');
    expect(await new HostAllowList('', false).check('localhost')).toHaveProperty('refused');
    expect(await new HostAllowList('127.0.0.1', false).check('127.0.0.1')).toEqual({ address: '127.0.0.1' });
    expect(await new HostAllowList('192.0.2.10', false).check('192.0.2.11')).toHaveProperty('refused');
    const tcp = await request(t.app, cast.hostingTeam, 'POST', `${v1}/hosting/monitors`, {
      serviceId: cast.other.id,
      kind: 'tcp',
      target: 'pas une cible',
    });
    expect(tcp.statusCode).toBe(400);
    expect(tcp.json().errors[0].path).toBe('body.target');
  });
});

describe('licences and usage', () => {
  it('are declared by the member, flagged near the cap, and grow by a request the hosting team decides', async () => {
    const db = t.database.db;
    const service = await buildService(db, {
      name: 'Logiciel de paie',
      domain: 'logiciels_metiers',
      unitLabel: 'licences',
    });
    const subscription = await buildSubscription(db, {
      memberId: cast.memberA.id,
      serviceId: service.id,
      units: 10,
    });
    const a = `${v1}/members/${cast.memberA.id}/licences`;
    expect((await request(t.app, cast.readerA, 'GET', a)).json().items).toMatchObject([
      {
        subscriptionId: subscription.id,
        unitLabel: 'licences',
        seatsAllowed: 10,
        seatsUsed: null,
        nearCap: false,
      },
    ]);
    const declared = await request(t.app, cast.agentA, 'PUT', `${a}/${subscription.id}/usage`, {
      seatsUsed: 9,
    });
    expect(declared.statusCode).toBe(200);
    expect(declared.json()).toMatchObject({
      seatsUsed: 9,
      source: 'declared',
      nearCap: true,
      overCap: false,
    });
    expect(
      (await request(t.app, cast.readerA, 'PUT', `${a}/${subscription.id}/usage`, { seatsUsed: 1 }))
        .statusCode,
    ).toBe(403);
    expect(
      (await request(t.app, cast.agentA, 'POST', `${a}/${subscription.id}/more-seats`, { additional: 5 }))
        .statusCode,
    ).toBe(403);
    const teamMailsBefore = t.mail.delivered.length;
    const more = await request(t.app, cast.adminA, 'POST', `${a}/${subscription.id}/more-seats`, {
      additional: 5,
    });
    expect(more.statusCode).toBe(201);
    // The hosting team (operator admins and the `hosting` scope) is mailed of it, nobody else, once.
    const emailOf = async (session: Session) =>
      (await db.select({ email: users.email }).from(users).where(eq(users.id, session.userId)))[0]?.email;
    const teamMails = t.mail.delivered.slice(teamMailsBefore);
    expect(teamMails.map((m) => m.to).sort()).toEqual(
      [await emailOf(cast.opAdmin), await emailOf(cast.hostingTeam)].sort(),
    );
    expect(teamMails[0]?.subject).toBe('[Socle] Demande de licences : Commune A (Logiciel de paie)');
    expect(teamMails[0]?.text).toContain(
      'Commune A demande 5 licences supplémentaires pour « Logiciel de paie » : son abonnement en prévoit 10',
    );
    expect(teamMails[0]?.text).toContain('Demande faite par Maire A.');
    expect(teamMails[0]?.text).toContain('/operateur/hebergement');
    await enqueue(db, SEAT_REQUEST_NOTIFY_JOB, { requestId: more.json().id });
    await t.runJobs();
    expect(t.mail.delivered.length).toBe(teamMailsBefore + teamMails.length);
    expect(more.json()).toMatchObject({
      memberId: cast.memberA.id,
      subscriptionId: subscription.id,
      additional: 5,
      unitsBefore: 10,
      status: 'pending',
      decidedAt: null,
    });
    const requestId: string = more.json().id;
    // Pending: the seats allowed have not changed, the member sees its request.
    const unitsOf = async () =>
      (await db.select().from(subscriptions).where(eq(subscriptions.id, subscription.id)))[0]?.units;
    expect(await unitsOf()).toBe(10);
    expect((await request(t.app, cast.readerA, 'GET', a)).json().items[0]).toMatchObject({
      seatsAllowed: 10,
      nearCap: true,
      pendingRequest: { id: requestId, additional: 5 },
    });
    const twice = await request(t.app, cast.adminA, 'POST', `${a}/${subscription.id}/more-seats`, {
      additional: 1,
    });
    expect(twice.statusCode).toBe(409);
    expect(twice.json().detail).toContain('déjà en attente');
    // Refused, rolled back: no job, no mail.
    expect(t.mail.delivered.length).toBe(teamMailsBefore + teamMails.length);
    expect(
      (await request(t.app, null, 'POST', `${a}/${subscription.id}/more-seats`, { additional: 1 }))
        .statusCode,
    ).toBe(401);
    expect(
      (await request(t.app, cast.adminB, 'POST', `${a}/${subscription.id}/more-seats`, { additional: 1 }))
        .statusCode,
    ).toBe(403);
    const badSeats = await request(t.app, cast.adminA, 'POST', `${a}/${subscription.id}/more-seats`, {
      additional: 0,
    });
    expect(badSeats.statusCode).toBe(400);
    expect(badSeats.json().errors[0].path).toBe('body.additional');

    // The team's list and decision; nobody else decides.
    const list = `${v1}/hosting/seat-requests`;
    expect((await request(t.app, null, 'GET', list)).statusCode).toBe(401);
    for (const session of [cast.adminA, cast.cyberTeam]) {
      expect((await request(t.app, session, 'GET', list)).statusCode).toBe(403);
      expect((await request(t.app, session, 'POST', `${list}/${requestId}/approve`)).statusCode).toBe(403);
      expect(
        (await request(t.app, session, 'POST', `${list}/${requestId}/refuse`, { reason: 'Non.' })).statusCode,
      ).toBe(403);
    }
    expect((await request(t.app, null, 'POST', `${list}/${requestId}/approve`)).statusCode).toBe(401);
    expect((await request(t.app, cast.hostingTeam, 'GET', list)).json().items).toMatchObject([
      {
        id: requestId,
        memberName: cast.memberA.name,
        serviceName: 'Logiciel de paie',
        unitLabel: 'licences',
      },
    ]);
    expect((await request(t.app, cast.hostingTeam, 'GET', `${list}?status=annule`)).statusCode).toBe(400);
    const mailsBefore = t.mail.delivered.length;
    const approved = await request(t.app, cast.hostingTeam, 'POST', `${list}/${requestId}/approve`);
    expect(approved.statusCode).toBe(200);
    expect(approved.json()).toMatchObject({ status: 'approved', additional: 5 });
    expect(await unitsOf()).toBe(15);
    expect((await request(t.app, cast.readerA, 'GET', a)).json().items[0]).toMatchObject({
      seatsAllowed: 15,
      nearCap: false,
      pendingRequest: null,
    });
    expect(t.mail.delivered.slice(mailsBefore).map((m) => m.subject)).toEqual([
      '[Socle] Licences Logiciel de paie : demande acceptée',
    ]);
    expect((await request(t.app, cast.hostingTeam, 'POST', `${list}/${requestId}/approve`)).statusCode).toBe(
      422,
    );
    const audited = await db
      .select({ action: auditEvents.action })
      .from(auditEvents)
      .where(and(eq(auditEvents.targetId, requestId), like(auditEvents.action, 'hosting.seat-request.%')));
    expect(audited.map((e) => e.action).sort()).toEqual([
      'hosting.seat-request.approve',
      'hosting.seat-request.create',
    ]);

    // Another request, refused with its reason: the units stay.
    const again = await request(t.app, cast.adminA, 'POST', `${a}/${subscription.id}/more-seats`, {
      additional: 50,
    });
    expect(again.statusCode).toBe(201);
    const noReason = await request(t.app, cast.hostingTeam, 'POST', `${list}/${again.json().id}/refuse`, {
      reason: ' ',
    });
    expect(noReason.statusCode).toBe(400);
    expect(noReason.json().errors[0].path).toBe('body.reason');
    const refused = await request(t.app, cast.hostingTeam, 'POST', `${list}/${again.json().id}/refuse`, {
      reason: 'Cinquante licences dépassent le contrat : appelez-nous.',
    });
    expect(refused.json()).toMatchObject({
      status: 'refused',
      decisionNote: 'Cinquante licences dépassent le contrat : appelez-nous.',
    });
    expect(await unitsOf()).toBe(15);
    expect(t.mail.delivered.at(-1)?.text).toContain('Motif : Cinquante licences dépassent le contrat');
    // Another member asking on A's subscription through its own path: not found.
    const foreignAsk = await request(
      t.app,
      cast.adminB,
      'POST',
      `${v1}/members/${cast.memberB.id}/licences/${subscription.id}/more-seats`,
      { additional: 1 },
    );
    expect(foreignAsk.statusCode).toBe(404);
    const foreign = await request(
      t.app,
      cast.adminB,
      'PUT',
      `${v1}/members/${cast.memberB.id}/licences/${subscription.id}/usage`,
      {
        seatsUsed: 1,
      },
    );
    expect(foreign.statusCode).toBe(404);
    const bad = await request(t.app, cast.adminA, 'PUT', `${a}/${subscription.id}/usage`, { seatsUsed: -1 });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('seatsUsed');
  });
});

/** Atom 1.0 (RFC 4287): well formed, with the feed's and each entry's required elements. */
function expectAtom(body: string) {
  expect(body.startsWith('<?xml version="1.0" encoding="utf-8"?>')).toBe(true);
  expect(body).toContain('<feed xmlns="http://www.w3.org/2005/Atom"');
  const stack: string[] = [];
  for (const match of body.matchAll(/<(\/?)([a-zA-Z][\w:-]*)[^>]*?(\/?)>/g)) {
    const [, closing, name, selfClosing] = match;
    if (selfClosing) continue;
    if (closing) expect(stack.pop()).toBe(name);
    else stack.push(name ?? '');
  }
  expect(stack).toEqual([]);
  const feedHead = body.slice(0, body.indexOf('<entry>'));
  for (const element of ['<id>', '<title>', '<updated>', '<author>']) expect(feedHead).toContain(element);
  const entries = body.split('<entry>').slice(1);
  expect(entries.length).toBeGreaterThan(0);
  for (const entry of entries) {
    for (const element of ['<id>', '<title>', '<updated>']) expect(entry).toContain(element);
    expect(entry).toMatch(/<updated>\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z<\/updated>/);
  }
}
