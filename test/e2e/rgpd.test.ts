import { and, asc, eq, inArray, ne, sql } from 'drizzle-orm';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  catalogueServices,
  organisations,
  rgpdBreaches,
  rgpdProcessings,
  subscriptions,
} from '../../src/server/platform/db/schema.js';
import {
  browserAvailable,
  expectAccessible,
  memberIdOfCommune,
  type Platform,
  signInAs,
  startPlatform,
} from './support.js';

const hasBrowser = browserAvailable();
const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Distinct from the demo templates' names, so the registry shows exactly one such row. */
const PROCESSING = 'Concessions funéraires (parcours de test)';
const TEMPLATE = {
  code: 'e2e-cimetieres',
  name: 'Gestion des cimetières (parcours de test)',
  applicableKinds: ['commune'],
  fields: {
    name: PROCESSING,
    purposes: 'Attribution et suivi des concessions funéraires.',
    legalBasis: 'public_task',
    legalBasisJustification: 'Code général des collectivités territoriales, articles L. 2223-1 et suivants.',
    dataSubjects: [{ category: 'Concessionnaires et ayants droit', estimatedCount: 3000 }],
    dataCategories: ['État civil', 'Coordonnées'],
    recipients: [{ name: 'Service population', type: 'internal' }],
    retention: [
      { dataCategory: 'Dossiers de concession', duration: 'Durée de la concession', finalFate: 'archiving' },
    ],
  },
};
/** Not applied to anyone: La Roche-sur-Yon is offered it through a service it subscribes to. */
const SUGGESTED = {
  code: 'e2e-columbarium',
  name: 'Columbarium et jardin du souvenir (parcours de test)',
  applicableKinds: ['commune'],
  fields: {
    name: 'Columbarium et jardin du souvenir (parcours de test)',
    purposes: 'Attribution des cases de columbarium et registre des dispersions.',
    legalBasis: 'public_task',
  },
};
/** A journey runs several axe scans of a few seconds each. */
const JOURNEY_TIMEOUT = 180_000;
const NEW_PURPOSES = 'Attribution des concessions funéraires et tenue du registre des inhumations.';

describe.skipIf(!hasBrowser)('RGPD journeys with accessibility scans', () => {
  let platform: Platform;
  let context: BrowserContext;
  let page: Page;
  let templateId: string;
  let laRocheId: string;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    platform = await startPlatform();
    laRocheId = await memberIdOfCommune(platform, '85191');
  });
  afterAll(async () => {
    await platform?.close();
  });

  async function newPage(): Promise<Page> {
    context = await platform.browser.newContext({ locale: 'fr-FR', timezoneId: 'Europe/Paris' });
    const p = await context.newPage();
    p.on('pageerror', (e) => pageErrors.push(e.message));
    return p;
  }

  const signIn = (p: Page, email: string) => signInAs(p, platform.baseUrl, email);

  async function h1(p: Page, name: string | RegExp) {
    await p.getByRole('heading', { level: 1, name }).waitFor();
  }

  /** Calls the API with the page's session, as the web app does (CSRF token from /me). */
  async function callApi<T>(p: Page, method: string, path: string, data?: unknown): Promise<T> {
    const me = await (await p.request.get(`${platform.baseUrl}/api/v1/me`)).json();
    const response = await p.request.fetch(`${platform.baseUrl}${path}`, {
      method,
      data,
      headers: { 'x-csrf-token': me.csrfToken },
    });
    expect(response.ok(), await response.text()).toBe(true);
    return (await response.json()) as T;
  }

  it(
    'lets the DPO apply a template to the communes of Vendée, then change it',
    async () => {
      page = await newPage();
      await signIn(page, 'dpo@socle.example');
      await page.getByRole('link', { name: 'RGPD', exact: true }).click();
      await h1(page, 'Tableau de bord RGPD');
      await page.getByRole('heading', { level: 2, name: 'Registres par structure' }).waitFor();
      await expectAccessible(page, 'tableau de bord RGPD');

      const template = await callApi<{ id: string }>(page, 'POST', '/api/v1/rgpd/templates', TEMPLATE);
      templateId = template.id;

      await page.getByRole('link', { name: 'Modèles de traitements' }).click();
      await h1(page, 'Modèles de traitements');
      const link = page.getByRole('link', { name: TEMPLATE.name });
      await link.waitFor();
      await expectAccessible(page, 'bibliothèque de modèles');
      await link.click();
      await h1(page, `Modèle : ${TEMPLATE.name}`);
      await expectAccessible(page, 'modèle');

      const apply = page.getByRole('region', { name: 'Appliquer le modèle à des structures' });
      await apply.getByLabel('Département').selectOption('85');
      await apply.getByLabel('Type de structure').selectOption('commune');
      await apply.getByRole('button', { name: 'Appliquer le modèle' }).click();
      await page.getByText('Application terminée').waitFor();
      const laRocheRow = page.getByRole('row', { name: /La Roche-sur-Yon/ });
      await expect(laRocheRow.getByText('Fiche créée').count()).resolves.toBe(1);
      await expectAccessible(page, 'rapport d’application du modèle');
      const [linked] = await platform.database.db
        .select({ n: sql<number>`count(*)::int` })
        .from(rgpdProcessings)
        .where(eq(rgpdProcessings.templateId, templateId));
      expect(linked.n).toBeGreaterThan(1);

      // A new version of the template: the linked processings now offer the update.
      await page.getByLabel('Finalités', { exact: true }).fill(NEW_PURPOSES);
      await page.getByRole('button', { name: 'Enregistrer une nouvelle version' }).click();
      await page.getByText('Modèle enregistré').waitFor();
      await expectAccessible(page, 'modèle enregistré');

      await page.goto(`${platform.baseUrl}/operateur/rgpd/adherents/${laRocheId}`);
      await h1(page, /RGPD : La Roche-sur-Yon/);
      await page.getByRole('link', { name: PROCESSING }).first().waitFor();
      await expectAccessible(page, 'registre d’une structure vu par le DPO');
      await context.close();
    },
    JOURNEY_TIMEOUT,
  );

  it(
    'lets the DPO copy a processing to other members and read the report',
    async () => {
      const db = platform.database.db;
      const [source] = await db
        .select({ id: rgpdProcessings.id })
        .from(rgpdProcessings)
        .where(and(eq(rgpdProcessings.memberId, laRocheId), eq(rgpdProcessings.templateId, templateId)));
      /** A member commune of another département: the template was applied to Vendée only. */
      const communeOf = async (departement: string) => {
        const [row] = await db
          .select({ id: organisations.id, name: organisations.name })
          .from(organisations)
          .where(
            and(
              eq(organisations.kind, 'commune'),
              eq(organisations.departementCode, departement),
              eq(organisations.status, 'member'),
            ),
          )
          .orderBy(asc(organisations.name))
          .limit(1);
        return row;
      };
      const first = await communeOf('49');
      const second = await communeOf('53');
      const choice = (name: string, departement: string) =>
        page.getByRole('checkbox', { name: new RegExp(`^${escapeRegExp(name)} — .*\\(${departement}\\)$`) });

      page = await newPage();
      await signIn(page, 'dpo@socle.example');
      await page.goto(`${platform.baseUrl}/operateur/rgpd/adherents/${laRocheId}/traitements/${source.id}`);
      await h1(page, `Traitement : ${PROCESSING}`);
      await page.getByRole('link', { name: "Copier vers d'autres structures" }).click();
      await h1(page, `Copier le traitement : ${PROCESSING}`);
      await expect(page.title()).resolves.toBe(`Copier le traitement : ${PROCESSING} — Socle`);
      await expect(page.evaluate(() => document.activeElement?.tagName)).resolves.toBe('H1');
      await expectAccessible(page, 'copie d’un traitement');

      // Nothing chosen: the error summary takes the focus and links to the group of chosen members.
      await page.getByRole('button', { name: 'Copier le traitement' }).click();
      const summary = page.getByRole('alert').filter({ hasText: 'Choisissez au moins une structure' });
      await summary.waitFor();
      await expect(summary.evaluate((el) => el === document.activeElement)).resolves.toBe(true);
      await expectAccessible(page, 'copie sans structure choisie');

      // By name, with the keyboard (Entrée submits the search).
      const name = page.getByLabel('Nom de la structure');
      await name.fill(first.name);
      await name.press('Enter');
      await page
        .getByRole('status')
        .filter({ hasText: /structures? trouvées?/ })
        .waitFor();
      await choice(first.name, '49').check();
      // By name within a département and a kind.
      await name.fill(second.name);
      await page.getByLabel('Département').selectOption('53');
      await page.getByLabel('Type de structure').selectOption('commune');
      await page.getByRole('button', { name: 'Rechercher' }).click();
      await choice(second.name, '53').check();
      const chosen = page.getByRole('group', { name: /Structures qui recevront une copie \(2\)/ });
      await chosen.getByRole('button', { name: `Retirer ${first.name}`, exact: true }).waitFor();
      await chosen.getByRole('button', { name: `Retirer ${second.name}`, exact: true }).waitFor();
      await expectAccessible(page, 'copie avec deux structures choisies');

      await page.getByRole('button', { name: 'Copier vers 2 structures' }).click();
      const heading = page.getByRole('heading', { level: 2, name: 'Compte rendu de la copie' });
      await heading.waitFor();
      await expect(heading.evaluate((el) => el === document.activeElement)).resolves.toBe(true);
      await page.getByRole('status').filter({ hasText: '2 fiches créées, 0 structure ignorée.' }).waitFor();
      const report = page.getByRole('table', { name: 'Résultat par structure' });
      for (const target of [first, second]) {
        await report
          .getByRole('row', { name: new RegExp(escapeRegExp(target.name)) })
          .getByText('Fiche créée (brouillon)')
          .waitFor();
      }
      await expectAccessible(page, 'compte rendu de la copie');
      const copies = await db
        .select({ memberId: rgpdProcessings.memberId })
        .from(rgpdProcessings)
        .where(
          and(
            eq(rgpdProcessings.templateId, templateId),
            inArray(rgpdProcessings.memberId, [first.id, second.id]),
          ),
        );
      expect(copies).toHaveLength(2);

      // Once more to the first one: skipped, with the reason.
      await page.getByRole('button', { name: "Copier vers d'autres structures" }).click();
      await expect(page.evaluate(() => document.activeElement?.id)).resolves.toBe('recherche-structures-q');
      await name.fill(first.name);
      await name.press('Enter');
      await choice(first.name, '49').check();
      await page.getByRole('button', { name: 'Copier vers 1 structure' }).click();
      await page.getByRole('status').filter({ hasText: '0 fiche créée, 1 structure ignorée.' }).waitFor();
      await report
        .getByRole('row', { name: new RegExp(escapeRegExp(first.name)) })
        .getByText('Ignorée : la structure a déjà ce traitement')
        .waitFor();
      await expectAccessible(page, 'compte rendu avec une structure ignorée');
    },
    JOURNEY_TIMEOUT,
  );

  it(
    'lets the DPO link a catalogue service to a template, then offers it to a subscriber',
    async () => {
      const db = platform.database.db;
      const [service] = await db
        .select({ id: catalogueServices.id, name: catalogueServices.name })
        .from(subscriptions)
        .innerJoin(catalogueServices, eq(catalogueServices.id, subscriptions.serviceId))
        .where(
          and(
            eq(subscriptions.memberId, laRocheId),
            inArray(subscriptions.status, ['requested', 'active']),
            ne(catalogueServices.status, 'retired'),
          ),
        )
        .orderBy(asc(catalogueServices.name))
        .limit(1);
      await callApi(page, 'POST', '/api/v1/rgpd/templates', SUGGESTED);

      await page
        .getByRole('navigation', { name: 'Menu principal' })
        .getByRole('link', { name: 'Catalogue', exact: true })
        .click();
      await h1(page, 'Catalogue des services');
      await page.getByRole('link', { name: service.name, exact: true }).click();
      const section = page.getByRole('region', {
        name: 'Registre RGPD : traitements impliqués par le service',
      });
      const template = section.getByRole('checkbox', {
        name: new RegExp(`^${escapeRegExp(SUGGESTED.name)}`),
      });
      await template.waitFor();
      await expectAccessible(page, 'liens RGPD d’un service du catalogue');
      await template.check();
      await section.getByRole('checkbox', { name: 'OVHcloud' }).check();
      await section.getByRole('button', { name: 'Enregistrer les liens RGPD' }).click();
      // Confirmed in the app's one live region (ui/Feedback.tsx Announcements).
      await page.getByRole('status').filter({ hasText: 'Liens RGPD enregistrés' }).waitFor();
      await expectAccessible(page, 'liens RGPD enregistrés');
      const implied = await callApi<{ templates: { name: string }[]; processors: { name: string }[] }>(
        page,
        'GET',
        `/api/v1/rgpd/services/${service.id}/implied`,
      );
      expect(implied.templates.map((t) => t.name)).toEqual([SUGGESTED.name]);
      expect(implied.processors.map((p) => p.name)).toEqual(['OVHcloud']);
      await context.close();

      // The subscriber is offered the template, with the service and its processor.
      page = await newPage();
      await signIn(page, 'mairie@larochesuryon.example');
      await page.getByRole('link', { name: 'RGPD', exact: true }).click();
      await h1(page, /Registre RGPD/);
      const offer = page.getByRole('region', { name: 'Traitements proposés par vos services' });
      await offer.getByText(SUGGESTED.name).waitFor();
      await offer.getByText(new RegExp(`${escapeRegExp(service.name)}.*OVHcloud`)).waitFor();
      await expectAccessible(page, 'traitements proposés par les services');
      await offer.getByRole('button', { name: `Ajouter au registre : ${SUGGESTED.name}` }).click();
      await offer.getByText(`« ${SUGGESTED.name} » ajouté au registre`).waitFor();
      await expect(
        offer.getByRole('heading', { level: 2 }).evaluate((el) => el === document.activeElement),
      ).resolves.toBe(true);
      await page
        .getByRole('table', { name: /Registre des activités de traitement/ })
        .getByRole('link', { name: SUGGESTED.fields.name })
        .waitFor();
      await expectAccessible(page, 'traitement proposé ajouté au registre');
      await context.close();
    },
    JOURNEY_TIMEOUT,
  );

  it(
    'lets a member edit a processing, accept the template update and publish it',
    async () => {
      page = await newPage();
      await signIn(page, 'mairie@larochesuryon.example');
      await page.getByRole('link', { name: 'RGPD', exact: true }).click();
      await h1(page, /Registre RGPD/);
      const row = page.getByRole('row', { name: new RegExp(escapeRegExp(PROCESSING)) });
      await row.getByText('Mise à jour disponible').waitFor();
      await expectAccessible(page, 'registre de la structure');

      await row.getByRole('link', { name: PROCESSING }).click();
      await h1(page, `Traitement : ${PROCESSING}`);
      await expect(page.evaluate(() => document.activeElement?.tagName)).resolves.toBe('H1');
      await expectAccessible(page, 'fiche de traitement');

      await page.getByLabel('Service responsable').fill('Service population et cimetières');
      await page.getByLabel('Traitement à grande échelle').check();
      await page.getByLabel(/Personnes vulnérables/).check();
      await page.getByText('AIPD requise : 2 critères sur 9 réunis.').waitFor();
      await page.getByRole('button', { name: 'Enregistrer le traitement' }).click();
      await page.getByText(/Modifications enregistrées \(version 2\)/).waitFor();
      await expectAccessible(page, 'fiche enregistrée');

      await page.getByRole('button', { name: 'Examiner la mise à jour' }).click();
      await page.getByRole('table', { name: 'Différences entre votre fiche et le modèle' }).waitFor();
      await expectAccessible(page, 'revue de la mise à jour du modèle');
      await page.getByLabel('Accepter : Finalités').check();
      await page.getByRole('button', { name: 'Accepter les champs cochés' }).click();
      await page.getByText(/1 champ repris du modèle/).waitFor();
      // The message comes with the answer; the form shows the new version once it is read again.
      await expect.poll(() => page.getByLabel('Finalités', { exact: true }).inputValue()).toBe(NEW_PURPOSES);
      // The local change survived the update.
      await expect(page.getByLabel('Service responsable').inputValue()).resolves.toBe(
        'Service population et cimetières',
      );

      await page.getByRole('tab', { name: 'Historique des versions' }).click();
      await page.getByRole('heading', { level: 3, name: 'Version 3' }).waitFor();
      await page.getByRole('table', { name: 'Modifications de la version 2' }).waitFor();
      await expectAccessible(page, 'historique des versions');

      await page.getByRole('link', { name: 'Mon registre RGPD' }).click();
      await h1(page, /Registre RGPD/);
      const publish = page.getByRole('checkbox', {
        name: new RegExp(`publier « ${escapeRegExp(PROCESSING)} »`),
      });
      // The box stays as the server has it: checked once the change is saved and read back.
      await publish.click();
      await expect.poll(() => publish.isChecked()).toBe(true);

      await page.goto(`${platform.baseUrl}/adherents/${laRocheId}/registre`);
      await h1(page, /Registre des traitements : La Roche-sur-Yon/);
      await page.getByRole('heading', { level: 2, name: PROCESSING }).waitFor();
      await expectAccessible(page, 'registre public');
    },
    JOURNEY_TIMEOUT,
  );

  it(
    'records a rights request and extends its deadline',
    async () => {
      await page.goto(`${platform.baseUrl}/espace/rgpd/demandes`);
      await h1(page, "Demandes d'exercice des droits");
      await page.getByRole('button', { name: 'Enregistrer une demande' }).click();
      await page.getByRole('dialog').waitFor();
      await page.getByLabel('Droit exercé').selectOption('erasure');
      await page.getByLabel('Nom du demandeur').fill('Camille Martin');
      await page.getByLabel('Identité du demandeur vérifiée').check();
      await expectAccessible(page, 'dialogue de demande');
      await page.getByRole('button', { name: 'Enregistrer', exact: true }).click();
      await page.getByRole('dialog').waitFor({ state: 'detached' });
      const row = page.getByRole('row', { name: /Camille Martin/ });
      await row.waitFor();
      await expectAccessible(page, 'demandes d’exercice des droits');

      await row.getByRole('button', { name: /Prolonger le délai/ }).click();
      await page.getByRole('dialog').waitFor();
      // Without a reason the extension is refused and the error summary says why.
      await page.getByRole('button', { name: 'Prolonger le délai', exact: true }).click();
      await page.locator('.alert--error').first().waitFor();
      await expectAccessible(page, 'prolongation refusée');
      await page
        .getByLabel('Motif de la prolongation')
        .fill('Demande complexe : archives de plusieurs services.');
      await page.getByRole('button', { name: 'Prolonger le délai', exact: true }).click();
      await page.getByRole('dialog').waitFor({ state: 'detached' });
      await row.getByText(/prolongée/).waitFor();
    },
    JOURNEY_TIMEOUT,
  );

  it(
    'declares a breach and shows its 72 h countdown',
    async () => {
      await page.getByRole('link', { name: 'Violations de données' }).click();
      await h1(page, 'Violations de données');
      await expectAccessible(page, 'registre des violations');
      await page.getByRole('button', { name: 'Déclarer une violation' }).click();
      await page.getByRole('dialog').waitFor();
      // Nature missing: refused before anything is sent.
      await page.getByRole('button', { name: 'Déclarer la violation' }).click();
      await page.getByText('indiquez au moins une nature de violation').first().waitFor();
      await expectAccessible(page, 'déclaration de violation avec erreur');
      await page.getByLabel(/^Confidentialité/).check();
      await page
        .getByLabel('Données concernées')
        .fill('Liste des concessionnaires envoyée par erreur à un tiers');
      await page.getByLabel('Nombre de personnes concernées').fill('137');
      await page.getByLabel('Niveau de risque pour les personnes').selectOption('high');
      await page
        .getByLabel(/^Information des personnes concernées/)
        .fill('Courrier à chaque concessionnaire concerné, envoyé sous 48 heures.');
      await page.getByRole('button', { name: 'Déclarer la violation' }).click();
      await page.getByRole('dialog').waitFor({ state: 'detached' });
      await page
        .getByRole('row', { name: /Liste des concessionnaires envoyée par erreur/ })
        .getByText(/Il reste (2 jours 23 h|3 jours)/)
        .waitFor();
      await expect(
        page
          .locator('[aria-live="polite"]', { hasText: 'Délai de notification à la CNIL en cours.' })
          .count(),
      ).resolves.toBeGreaterThan(0);
      await expectAccessible(page, 'violation déclarée');
      const [breach] = await platform.database.db
        .select({ n: sql<number>`count(*)::int` })
        .from(rgpdBreaches)
        .where(and(eq(rgpdBreaches.memberId, laRocheId), eq(rgpdBreaches.peopleCount, 137)));
      expect(breach.n).toBe(1);
      await context.close();

      page = await newPage();
      await signIn(page, 'dpo@socle.example');
      await page.goto(`${platform.baseUrl}/operateur/rgpd?departement=85`);
      await h1(page, 'Tableau de bord RGPD');
      const urgent = page.getByRole('table', { name: /Violations à notifier/ });
      await urgent
        .getByRole('row', { name: /La Roche-sur-Yon/ })
        .getByText(/Il reste (2 jours 23 h|3 jours)/)
        .first()
        .waitFor();
      await expectAccessible(page, 'tableau de bord avec violation en cours');
      // The to-do list: the breach a secretary reported (to qualify) and the requests to the DPO.
      await page
        .getByRole('table', { name: /Violations signalées par les structures, à qualifier/ })
        .waitFor();
      const requests = page.getByRole('table', { name: /Demandes des structures au DPO/ });
      await requests.getByRole('row', { name: /vidéoprotection du parking/ }).waitFor();
      await requests.getByRole('button', { name: /Classer la demande de La Roche-sur-Yon/ }).click();
      await page.locator('[aria-live="polite"]', { hasText: 'Demande classée.' }).first().waitFor();
      await requests.getByRole('row', { name: /vidéoprotection du parking/ }).waitFor({ state: 'detached' });
      await context.close();
    },
    JOURNEY_TIMEOUT,
  );

  it('raised no script error in any page', () => {
    expect(pageErrors).toEqual([]);
  });
});
