import { and, eq } from 'drizzle-orm';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildService } from '../../src/server/modules/catalogue/catalogue.test-support.js';
import { invoices, organisations, subscriptions } from '../../src/server/platform/db/schema.js';
import { browserAvailable, expectAccessible, logIn, type Platform, startPlatform } from './support.js';

const hasBrowser = browserAvailable();

/**
 * The service economy end to end: a member admin requests a service (a missing prerequisite is
 * explained first), the operator accepts it, prices it, runs the contribution call (preview, then
 * issue), and the member downloads its invoice. Next year is billed so the demo's already issued
 * current-year call does not hide the new invoice.
 */
describe.skipIf(!hasBrowser)('service economy journeys with accessibility scans', () => {
  let platform: Platform;
  let context: BrowserContext;
  let page: Page;
  const pageErrors: string[] = [];
  const year = new Date().getFullYear() + 1;
  const member = 'mairie@larochesuryon.example';
  let base: { id: string; name: string };
  let dependent: { id: string; name: string };

  beforeAll(async () => {
    platform = await startPlatform();
    const db = platform.database.db;
    base = await buildService(db, {
      name: 'Coffre-fort numérique des collectivités',
      code: 'E2E-COFFRE',
      domain: 'dematerialisation',
      eligibleKinds: ['commune', 'epci'],
      alonePrices: [
        { upToPopulation: 2000, aloneCents: 90_000 },
        { upToPopulation: null, aloneCents: 600_000 },
      ],
    });
    dependent = await buildService(db, {
      name: 'Signature des actes sur coffre-fort',
      code: 'E2E-SIGNATURE',
      domain: 'dematerialisation',
      eligibleKinds: ['commune', 'epci'],
      requires: [base.id],
    });
  });
  afterAll(async () => {
    await platform?.close();
  });

  async function newPage(): Promise<Page> {
    context = await platform.browser.newContext({ locale: 'fr-FR' });
    const p = await context.newPage();
    p.on('pageerror', (e) => pageErrors.push(e.message));
    return p;
  }

  /** Waits until the login page has been left, so the next navigation carries the session. */
  async function signIn(email: string) {
    await logIn(page, platform.baseUrl, email);
    await page.waitForURL((u) => !u.pathname.startsWith('/connexion'));
    await page.getByRole('heading', { level: 1 }).waitFor();
  }

  async function visit(p: Page, path: string, h1: string | RegExp) {
    await p.goto(`${platform.baseUrl}${path}`);
    await p.getByRole('heading', { level: 1, name: h1 }).waitFor();
  }

  it('shows the public catalogue, a service and the price list', async () => {
    page = await newPage();
    await visit(page, '/catalogue', 'Catalogue des services');
    await page.getByRole('link', { name: base.name }).waitFor();
    await expectAccessible(page, 'catalogue public');
    await page.getByRole('link', { name: base.name }).click();
    await page.getByRole('heading', { level: 1, name: base.name }).waitFor();
    await expect(page.evaluate(() => document.activeElement?.tagName)).resolves.toBe('H1');
    await page.getByRole('table', { name: /Prix annuel de référence/ }).waitFor();
    await expectAccessible(page, 'fiche service');
    await visit(page, `/tarifs?annee=${year - 1}`, /Tarifs/);
    await page.locator('.loading').waitFor({ state: 'detached' });
    await expectAccessible(page, 'tarifs publics');
    await context.close();
  });

  it('lets a member admin request a service, after explaining a missing prerequisite', async () => {
    page = await newPage();
    await signIn(member);
    await page.getByRole('link', { name: 'Mes services' }).click();
    await page.getByRole('heading', { level: 1, name: 'Mes services' }).waitFor();
    await page.getByLabel('Service', { exact: true }).selectOption({ label: dependent.name });
    await page.getByRole('button', { name: 'Envoyer la demande' }).click();
    const summary = page.locator('.alert--error').first();
    await summary.waitFor();
    await expect(summary.textContent()).resolves.toMatch(new RegExp(base.name));
    await expectAccessible(page, 'demande refusée faute de prérequis');

    await visit(page, `/catalogue/${dependent.id}`, dependent.name);
    await page.getByText('Votre structure ne peut pas demander ce service').waitFor();
    await expectAccessible(page, 'fiche service non éligible');

    await visit(page, `/catalogue/${base.id}`, base.name);
    await page.getByRole('button', { name: 'Demander ce service' }).click();
    await page.getByText('Demande envoyée').waitFor();
    await visit(page, '/espace/services', 'Mes services');
    await page
      .getByRole('row', { name: new RegExp(base.name) })
      .getByText('Demandée')
      .waitFor();
    await expectAccessible(page, 'mes services');
    await context.close();
  });

  it('lets the operator accept the request with a start date', async () => {
    page = await newPage();
    await signIn('admin@socle.example');
    await page.getByRole('heading', { level: 1, name: 'Tableau de bord' }).waitFor();
    await page.getByRole('link', { name: 'Abonnements' }).click();
    await page.getByRole('heading', { level: 1, name: 'Abonnements' }).waitFor();
    await page.getByLabel('Service demandé').selectOption({ label: base.name });
    const row = page.getByRole('row', { name: new RegExp(`La Roche-sur-Yon.*${base.name}`) });
    await row.waitFor();
    await expectAccessible(page, 'file des demandes');
    await row.getByRole('button', { name: /^Accepter/ }).click();
    await page.getByRole('dialog').waitFor();
    await page
      .getByRole('dialog')
      .getByLabel('Date de démarrage')
      .fill(`${year - 1}-01-01`);
    await expectAccessible(page, 'dialogue d’acceptation');
    await page.getByRole('dialog').getByRole('button', { name: 'Accepter la demande' }).click();
    await page.getByRole('dialog').waitFor({ state: 'detached' });
    await row.waitFor({ state: 'detached' });
    const [sub] = await platform.database.db
      .select({ status: subscriptions.status, startDate: subscriptions.startDate })
      .from(subscriptions)
      .where(eq(subscriptions.serviceId, base.id));
    expect(sub).toEqual({ status: 'active', startDate: `${year - 1}-01-01` });

    await page.getByLabel('Service', { exact: true }).first().selectOption({ label: base.name });
    await page.getByRole('table', { name: /Abonnés du service/ }).waitFor();
    await expectAccessible(page, 'abonnés du service');
  });

  it('prices the service for next year and shows the explanation, the simulation and equity', async () => {
    await visit(page, `/operateur/tarification?annee=${year}&service=${base.id}`, `Tarification ${year}`);
    await page.getByLabel('Tarif par habitant (en centimes)').fill('5');
    await page.getByLabel('Minimum par structure (en euros)').fill('50');
    await page.getByRole('button', { name: 'Enregistrer la cotisation' }).click();
    await page.getByText('Cotisation enregistrée.').waitFor();

    await page.getByLabel('Licences').fill('12000');
    await page.getByLabel('Hébergement').fill('3000');
    await page.getByLabel('Personnel').fill('4500,50');
    await page.getByLabel('Type de règle').first().selectOption('equal');
    await page.getByRole('button', { name: 'Enregistrer le montant et la règle' }).click();
    await page
      .getByText(/19\s500,50/)
      .filter({ visible: true })
      .first()
      .waitFor();
    await expectAccessible(page, 'tarification d’un service');

    await page.getByRole('combobox', { name: 'Structure', exact: true }).fill('Roche-sur');
    await page
      .getByRole('option', { name: /^La Roche-sur-Yon/ })
      .first()
      .click();
    await page.getByRole('button', { name: 'Expliquer' }).click();
    await page.getByText(/^Règle : parts égales/).waitFor();

    await page.getByRole('img', { name: /Coût par habitant par taille de structure/ }).waitFor();
    await page.getByRole('button', { name: 'Lancer la simulation' }).click();
    await page.getByRole('img', { name: /prix par abonné selon le nombre d'abonnés/ }).waitFor();
    await expectAccessible(page, 'simulation et courbe des économies d’échelle');
  });

  it('runs the contribution call: preview, then issue', async () => {
    await visit(page, '/operateur/facturation', 'Facturation');
    await page.getByLabel('Année', { exact: true }).first().selectOption(String(year));
    await page.getByRole('button', { name: 'Prévisualiser' }).click();
    await page.getByText(`Aperçu ${year}`).waitFor();
    await expectAccessible(page, 'aperçu de la campagne');
    // A preview writes nothing.
    const previewed = await platform.database.db
      .select({ id: invoices.id })
      .from(invoices)
      .where(eq(invoices.year, year));
    expect(previewed).toHaveLength(0);
    await page.getByRole('button', { name: /^Émettre les/ }).click();
    await page.getByText('Factures émises', { exact: true }).waitFor();
    await expectAccessible(page, 'campagne émise');
    await page
      .getByRole('table', { name: 'Factures et avoirs' })
      .locator('tbody tr th button')
      .first()
      .click();
    await page.getByRole('dialog').getByRole('button', { name: 'Enregistrer le paiement' }).waitFor();
    await expectAccessible(page, 'détail d’une facture');
    await page.getByRole('dialog').getByRole('button', { name: 'Fermer' }).click();
    await page.getByRole('dialog').waitFor({ state: 'detached' });

    // Right after the annual call, a complementary call has nothing to bill.
    await page.getByLabel('Appel', { exact: true }).selectOption('complementary');
    await page.getByRole('button', { name: 'Prévisualiser' }).click();
    await page.getByText(/Aucun complément à facturer/).waitFor();
    await expectAccessible(page, 'aperçu d’un appel complémentaire');

    await visit(page, `/tarifs?annee=${year}`, `Tarifs ${year}`);
    await page.getByRole('img', { name: /mutualisé et acheté seul/ }).waitFor();
    await expectAccessible(page, 'tarifs publics avec graphique');

    await visit(page, `/operateur/catalogue?service=${base.id}`, 'Catalogue des services');
    await page.getByRole('heading', { name: `Modifier « ${base.name} »` }).waitFor();
    await page.getByLabel('Préavis de résiliation (en mois)').fill('6');
    await page.getByRole('button', { name: 'Enregistrer les modifications' }).click();
    await page.getByRole('cell', { name: /Préavis : 3 → 6/ }).waitFor();
    await expectAccessible(page, 'édition du catalogue et historique');
    await context.close();
  });

  it('lets the member see its costs and download its invoice as a PDF', async () => {
    const [roche] = await platform.database.db
      .select({ id: organisations.id })
      .from(organisations)
      .where(eq(organisations.name, 'La Roche-sur-Yon'));
    const [invoice] = await platform.database.db
      .select({ id: invoices.id, number: invoices.number })
      .from(invoices)
      .where(and(eq(invoices.memberId, roche.id), eq(invoices.year, year)));
    expect(invoice).toBeTruthy();

    page = await newPage();
    await signIn(member);
    await visit(page, `/espace/couts?annee=${year}`, `Mes coûts ${year}`);
    await page
      .getByRole('heading', { name: new RegExp(base.name) })
      .first()
      .waitFor();
    await expectAccessible(page, 'mes coûts');

    await page.getByRole('link', { name: 'Mes factures' }).click();
    await page.getByRole('heading', { level: 1, name: 'Mes factures' }).waitFor();
    const link = page.getByRole('link', { name: new RegExp(`PDF .*${invoice.number}`) });
    await link.waitFor();
    await expectAccessible(page, 'mes factures');
    const href = await link.getAttribute('href');
    const response = await context.request.get(`${platform.baseUrl}${href}`);
    expect(response.status()).toBe(200);
    expect(response.headers()['content-type']).toMatch(/^application\/pdf/);
    expect((await response.body()).subarray(0, 5).toString()).toBe('%PDF-');
    await context.close();
  });

  it('raised no script error in any page', () => {
    expect(pageErrors).toEqual([]);
  });
});
