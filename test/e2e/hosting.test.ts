import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  browserAvailable,
  expectAccessible,
  memberIdOfCommune,
  type Platform,
  signInAs,
  startPlatform,
} from './support.js';

const hasBrowser = browserAvailable();
const STEP_TIMEOUT = 150_000;
const LA_ROCHE = 'mairie@larochesuryon.example';
const HOSTING_TEAM = 'hebergement@socle.example';
const RUN = String(Date.now()).slice(-8);
const TITLE = `Panne de la messagerie ${RUN}`;

describe.skipIf(!hasBrowser)(
  'hosting: the team declares an incident; the public status page and a subscriber’s home show it, with accessibility scans',
  () => {
    let platform: Platform;
    let laRocheId = '';
    beforeAll(async () => {
      platform = await startPlatform();
      laRocheId = await memberIdOfCommune(platform, '85191');
    });
    afterAll(async () => {
      await platform?.close();
    });

    const h1 = (p: Page, name: string | RegExp) => p.getByRole('heading', { level: 1, name }).waitFor();

    it(
      'declares, publishes and shows an incident to the public and to La Roche-sur-Yon',
      async () => {
        const errors: string[] = [];
        const member = await platform.browser.newContext({ locale: 'fr-FR', timezoneId: 'Europe/Paris' });
        const team = await platform.browser.newContext({ locale: 'fr-FR', timezoneId: 'Europe/Paris' });
        const visitor = await platform.browser.newContext({ locale: 'fr-FR', timezoneId: 'Europe/Paris' });
        try {
          // La Roche-sur-Yon's home: its hosted services, where its data lives, an overdue restore test.
          const home = await member.newPage();
          home.on('pageerror', (e) => errors.push(e.message));
          await signInAs(home, platform.baseUrl, LA_ROCHE);
          const states = await home.request.get(
            `${platform.baseUrl}/api/v1/members/${laRocheId}/service-states`,
          );
          const serviceName: string = (await states.json()).items.find((s: { name: string }) =>
            /Messagerie/.test(s.name),
          )?.name;
          expect(serviceName).toBeTruthy();
          await home.goto(`${platform.baseUrl}/espace?onglet=hebergement`);
          await home.getByRole('heading', { level: 2, name: 'Hébergement' }).waitFor();
          await home.getByRole('table', { name: 'Instances hébergées' }).waitFor();
          await home.getByText('Test en retard').first().waitFor();
          await home.getByRole('heading', { level: 3, name: 'Licences' }).waitFor();
          await home.getByRole('heading', { level: 3, name: 'Plans de continuité' }).waitFor();
          await home.getByText('Bascule complète vers Angers réussie dans les délais.').first().waitFor();
          await expectAccessible(home, 'hébergement de la structure');

          // The hosting team declares the incident.
          const desk = await team.newPage();
          desk.on('pageerror', (e) => errors.push(e.message));
          await signInAs(desk, platform.baseUrl, HOSTING_TEAM);
          await desk
            .getByRole('navigation', { name: 'Menu principal' })
            .getByRole('link', { name: 'Hébergement' })
            .click();
          await h1(desk, 'Hébergement : état des services');
          await desk.getByRole('heading', { level: 2, name: 'Sondes' }).waitFor();
          await expectAccessible(desk, 'page de l’équipe hébergement');
          const form = desk.locator('form#incident');
          await form.getByLabel('Titre').fill(TITLE);
          await form.getByLabel('État des services').selectOption('major_outage');
          await form.getByRole('checkbox', { name: serviceName, exact: true }).check();
          await form
            .getByLabel('Message aux abonnés')
            .fill('Les boîtes aux lettres ne répondent plus ; nous analysons.');
          await form.getByRole('button', { name: 'Déclarer l’incident' }).click();
          await desk.getByText('Incident déclaré').waitFor();
          await desk.getByRole('heading', { level: 3, name: new RegExp(TITLE) }).waitFor();
          await expectAccessible(desk, 'incident déclaré');

          // The public page, without signing in, and the Atom feed parsed by the browser's XML parser.
          const page = await visitor.newPage();
          page.on('pageerror', (e) => errors.push(e.message));
          await page.goto(`${platform.baseUrl}/statut`);
          await h1(page, 'État des services');
          await page.getByRole('heading', { level: 3, name: new RegExp(TITLE) }).waitFor();
          await page.getByText('Certains services sont perturbés.').waitFor();
          await expectAccessible(page, 'page publique d’état des services');
          // Resolved incidents in short (the demo's websites incident, six days ago), each with its page.
          await page
            .getByRole('heading', { level: 2, name: /Incidents résolus des 14 derniers jours/ })
            .waitFor();
          await page.getByRole('link', { name: 'Sites internet lents ou inaccessibles' }).click();
          await h1(page, 'Sites internet lents ou inaccessibles');
          await page.getByRole('heading', { level: 2, name: 'Chronologie' }).waitFor();
          await page.getByText(/Un robot d’indexation sature les serveurs mutualisés/).waitFor();
          await expectAccessible(page, 'page publique d’un incident résolu');
          await page.goto(`${platform.baseUrl}/statut`);
          await h1(page, 'État des services');
          const feed = await page.evaluate(async () => {
            const response = await fetch('/api/v1/status/feed.atom');
            const doc = new DOMParser().parseFromString(await response.text(), 'application/xml');
            const atom = 'http://www.w3.org/2005/Atom';
            const root = doc.documentElement;
            const entries = [...doc.getElementsByTagNameNS(atom, 'entry')];
            return {
              type: response.headers.get('content-type'),
              error: doc.getElementsByTagName('parsererror').length,
              root: `${root.namespaceURI} ${root.localName}`,
              head: ['id', 'title', 'updated'].every((n) =>
                [...root.children].some((c) => c.localName === n && c.textContent),
              ),
              entries: entries.map((e) => ({
                title: e.getElementsByTagNameNS(atom, 'title')[0]?.textContent ?? '',
                complete: ['id', 'title', 'updated'].every(
                  (n) => (e.getElementsByTagNameNS(atom, n)[0]?.textContent ?? '') !== '',
                ),
              })),
            };
          });
          expect(feed.type).toContain('application/atom+xml');
          expect(feed.error).toBe(0);
          expect(feed.root).toBe('http://www.w3.org/2005/Atom feed');
          expect(feed.head).toBe(true);
          expect(feed.entries.every((e) => e.complete)).toBe(true);
          expect(feed.entries.map((e) => e.title)).toContain(TITLE);

          // The subscriber's home shows it too.
          await home.reload();
          await home.getByRole('heading', { level: 2, name: 'Hébergement' }).waitFor();
          await home.getByRole('heading', { level: 4, name: new RegExp(TITLE) }).waitFor();
          await expectAccessible(home, 'hébergement de la structure pendant l’incident');
          expect(errors).toEqual([]);
        } finally {
          await Promise.all([member.close(), team.close(), visitor.close()]);
        }
      },
      STEP_TIMEOUT,
    );

    it(
      'the team edits an instance, records a restore test and a backup, writes a continuity plan with a document; La Roche imports its licences’ usage',
      async () => {
        const errors: string[] = [];
        const team = await platform.browser.newContext({ locale: 'fr-FR', timezoneId: 'Europe/Paris' });
        const member = await platform.browser.newContext({ locale: 'fr-FR', timezoneId: 'Europe/Paris' });
        try {
          const desk = await team.newPage();
          desk.on('pageerror', (e) => errors.push(e.message));
          await signInAs(desk, platform.baseUrl, HOSTING_TEAM);
          await desk.goto(`${platform.baseUrl}/operateur/adherents/${laRocheId}?onglet=hebergement`);
          await desk
            .getByRole('heading', { level: 3, name: 'Gérer les instances (équipe hébergement)' })
            .waitFor();
          const choice = desk.getByLabel('Instance', { exact: true });
          const first = await choice.locator('option').nth(1).getAttribute('value');
          await choice.selectOption(first ?? '');
          const edit = desk.getByRole('form', { name: /Modifier l’instance/ });
          await edit.getByLabel('Version').fill(`9.${RUN}`);
          await edit.getByRole('button', { name: 'Enregistrer l’instance' }).click();
          await desk.getByText('Instance modifiée.').waitFor();
          await desk.getByText(`9.${RUN}`).first().waitFor();
          await desk
            .getByText(/^Test de restauration de/)
            .first()
            .click();
          const restore = desk.getByRole('form', { name: /Enregistrer un test de restauration/ }).first();
          await restore.getByLabel('Date du test (heure de Paris)').fill('2026-11-30T02:00');
          await restore.getByLabel(/Durée de la restauration/).fill('95');
          await restore.getByLabel(/Âge des données restaurées/).fill('600');
          await restore.getByRole('button', { name: 'Enregistrer le test' }).click();
          await desk.getByText('Test de restauration enregistré.').waitFor();
          // A backup run five minutes ago: refused in French while its date is missing, then recorded;
          // it becomes the last success.
          await desk
            .getByText(/^Sauvegarde de/)
            .first()
            .click();
          const backup = desk.getByRole('form', { name: /Enregistrer une sauvegarde de/ }).first();
          await backup.getByRole('button', { name: 'Enregistrer la sauvegarde' }).click();
          await backup.getByRole('alert').getByText('La date de la sauvegarde est obligatoire.').waitFor();
          const paris = new Date(Date.now() - 5 * 60_000).toLocaleString('sv-SE', {
            timeZone: 'Europe/Paris',
          });
          await backup
            .getByLabel('Date de la sauvegarde (heure de Paris)')
            .fill(paris.slice(0, 16).replace(' ', 'T'));
          await backup.getByLabel('Taille (Mo)').fill('2048');
          await backup.getByLabel('Durée de la sauvegarde (minutes)').fill('35');
          await backup.getByRole('button', { name: 'Enregistrer la sauvegarde' }).click();
          await desk
            .getByText(new RegExp(`^Dernière sauvegarde réussie de « .+ » : .+ à ${paris.slice(11, 16)}\\.$`))
            .waitFor();
          await expectAccessible(desk, 'instances d’un adhérent pour l’équipe hébergement');

          await desk.goto(`${platform.baseUrl}/operateur/hebergement`);
          await h1(desk, 'Hébergement : état des services');
          const plan = desk.locator('form#plan-continuite');
          await plan.getByLabel('Service').selectOption({ index: 1 });
          await plan.getByLabel('RTO (minutes)').fill('240');
          await plan.getByLabel('RPO (minutes)').fill('60');
          await plan
            .getByLabel(/Procédures/)
            .fill('Bascule vers le site de secours, restauration, message aux abonnés.');
          await plan.getByLabel('Date du dernier exercice').fill('2026-10-15');
          await plan.getByRole('button', { name: 'Enregistrer le plan' }).click();
          await desk.getByText('Plan de continuité enregistré.').waitFor();
          // The procedures as a document: attached, then listed for download.
          const attach = desk.locator('form#document-plan');
          await attach.getByLabel('Procédure à joindre').setInputFiles({
            name: 'bascule.pdf',
            mimeType: 'application/pdf',
            buffer: Buffer.from('%PDF-1.4\n%%EOF\n', 'latin1'),
          });
          await attach.getByRole('button', { name: 'Joindre le document' }).click();
          await desk.getByRole('link', { name: 'bascule.pdf' }).waitFor();
          await desk
            .locator('form#unites-declarees')
            .getByRole('button', { name: 'Voir les abonnements concernés' })
            .click();
          await desk.getByRole('table', { name: /Unités déclarées à remplacer/ }).waitFor();
          await expectAccessible(desk, 'plan de continuité et unités déclarées');

          const home = await member.newPage();
          home.on('pageerror', (e) => errors.push(e.message));
          await signInAs(home, platform.baseUrl, LA_ROCHE);
          await home.goto(`${platform.baseUrl}/espace?onglet=hebergement`);
          const upload = home.locator('form#import-licences');
          await upload.waitFor();
          await upload.getByLabel('Service (import)').selectOption({ index: 0 });
          await upload.getByLabel('Export CSV du logiciel').setInputFiles({
            name: 'export.csv',
            mimeType: 'text/csv',
            buffer: Buffer.from('identifiant;actif\nalice;oui\nbruno;non\nchloe;oui\n', 'utf8'),
          });
          await upload.getByRole('button', { name: 'Vérifier le fichier' }).click();
          await home.getByText(/3\s+lignes lues/).waitFor();
          await expectAccessible(home, 'vérification de l’export des licences');
          await home.getByRole('button', { name: /^Importer\s+:\s+2\s+licences utilisées/ }).click();
          await home.getByText('Utilisation importée').waitFor();
          expect(errors).toEqual([]);
        } finally {
          await Promise.all([team.close(), member.close()]);
        }
      },
      STEP_TIMEOUT,
    );

    it(
      'La Roche asks for more seats: pending until the hosting team accepts it',
      async () => {
        const errors: string[] = [];
        const team = await platform.browser.newContext({ locale: 'fr-FR', timezoneId: 'Europe/Paris' });
        const member = await platform.browser.newContext({ locale: 'fr-FR', timezoneId: 'Europe/Paris' });
        try {
          const home = await member.newPage();
          home.on('pageerror', (e) => errors.push(e.message));
          await signInAs(home, platform.baseUrl, LA_ROCHE);
          await home.goto(`${platform.baseUrl}/espace?onglet=hebergement`);
          await home.locator('form#licences-en-plus').waitFor();
          const desk = await team.newPage();
          desk.on('pageerror', (e) => errors.push(e.message));
          await signInAs(desk, platform.baseUrl, HOSTING_TEAM);
          // More seats: a request, pending in the table until the hosting team decides.
          const ask = home.locator('form#licences-en-plus');
          await ask.getByLabel('Service (licences supplémentaires)').selectOption({ index: 0 });
          await ask.getByLabel('Licences supplémentaires', { exact: true }).fill('3');
          await ask.getByRole('button', { name: 'Demander des licences en plus' }).click();
          await home.getByText('Demande envoyée à l’équipe hébergement.').waitFor();
          await home.getByText(/\+3 .+ demandées le/).waitFor();
          await expectAccessible(home, 'demande de licences en attente');
          // The team sees it on its page and accepts it.
          await desk.goto(`${platform.baseUrl}/operateur/hebergement`);
          await h1(desk, 'Hébergement : état des services');
          const pending = desk
            .getByRole('form', { name: /Décider de la demande de .*La Roche-sur-Yon/ })
            .first();
          await pending.waitFor();
          await expectAccessible(desk, 'demandes de licences');
          await pending.getByRole('button', { name: 'Accepter' }).click();
          await pending.waitFor({ state: 'detached' });
          expect(errors).toEqual([]);
        } finally {
          await Promise.all([team.close(), member.close()]);
        }
      },
      STEP_TIMEOUT,
    );
  },
);
