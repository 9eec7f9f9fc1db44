import { and, asc, desc, eq, notExists, sql } from 'drizzle-orm';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { de } from '../../src/contracts/french.js';
import {
  catalogueServicePrerequisites,
  catalogueServices,
  invoices,
  organisations,
  outboxMails,
  rgpdBreaches,
  subscriptions,
} from '../../src/server/platform/db/schema.js';
import {
  browserAvailable,
  expectAccessible,
  logIn,
  type Platform,
  signInAs,
  startPlatform,
} from './support.js';

const hasBrowser = browserAvailable();

/**
 * Daily work (issue 18): one member at a glance with every module's section, the operator subscribing
 * one member from its page, the global search, and a secretary reporting a breach to the DPO.
 */
describe.skipIf(!hasBrowser)('daily work: member at a glance, global search, no dead ends', () => {
  let platform: Platform;
  let context: BrowserContext;
  let page: Page;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    platform = await startPlatform();
  });
  afterAll(async () => {
    await platform?.close();
    expect(pageErrors).toEqual([]);
  });

  async function newPage(): Promise<Page> {
    context = await platform.browser.newContext({ locale: 'fr-FR' });
    const p = await context.newPage();
    p.on('pageerror', (e) => pageErrors.push(e.message));
    return p;
  }

  async function memberBySiren(commune: string) {
    const [row] = await platform.database.db
      .select({ id: organisations.id, name: organisations.name, siren: organisations.siren })
      .from(organisations)
      .where(eq(organisations.communeCode, commune));
    return row;
  }

  it('lets the operator subscribe one member to a service from its page', async () => {
    const laRoche = await memberBySiren('85191');
    // An open service for communes, without prerequisite, that La Roche-sur-Yon does not hold.
    const [service] = await platform.database.db
      .select({
        id: catalogueServices.id,
        name: catalogueServices.name,
        unitLabel: catalogueServices.unitLabel,
      })
      .from(catalogueServices)
      .where(
        and(
          eq(catalogueServices.status, 'open'),
          sql`'commune' = ANY(${catalogueServices.eligibleKinds})`,
          notExists(
            platform.database.db
              .select({ one: sql`1` })
              .from(catalogueServicePrerequisites)
              .where(eq(catalogueServicePrerequisites.serviceId, catalogueServices.id)),
          ),
          notExists(
            platform.database.db
              .select({ one: sql`1` })
              .from(subscriptions)
              .where(
                and(
                  eq(subscriptions.serviceId, catalogueServices.id),
                  eq(subscriptions.memberId, laRoche.id),
                  sql`${subscriptions.status} IN ('requested', 'active', 'termination_requested')`,
                ),
              ),
          ),
        ),
      )
      .orderBy(asc(catalogueServices.name))
      .limit(1);
    expect(service, 'a service La Roche-sur-Yon may subscribe').toBeDefined();

    page = await newPage();
    await logIn(page, platform.baseUrl, 'finance@socle.example');
    await page.getByRole('heading', { level: 1, name: 'Tableau de bord' }).waitFor();
    await page.goto(`${platform.baseUrl}/operateur/adherents/${laRoche.id}?onglet=services`);
    await page.getByRole('heading', { level: 1, name: /La Roche-sur-Yon/ }).waitFor();
    await page.getByRole('heading', { level: 2, name: 'Services' }).waitFor();
    await expect(page.getByRole('tab', { name: 'Services' }).getAttribute('aria-selected')).resolves.toBe(
      'true',
    );
    await page
      .getByRole('heading', { level: 3, name: 'Souscrire un service pour cette structure' })
      .waitFor();
    await expectAccessible(page, 'fiche adhérent, onglet services');

    await page.getByLabel('Service', { exact: true }).selectOption({ label: service.name });
    if (service.unitLabel) await page.getByLabel(`Nombre ${de(service.unitLabel)}`).fill('12');
    await page.getByRole('button', { name: 'Souscrire', exact: true }).click();
    await page.getByText('Souscription enregistrée').waitFor();
    await page.getByRole('rowheader', { name: service.name }).waitFor();
    await expectAccessible(page, 'souscription enregistrée');
    const [row] = await platform.database.db
      .select({ status: subscriptions.status })
      .from(subscriptions)
      .where(and(eq(subscriptions.memberId, laRoche.id), eq(subscriptions.serviceId, service.id)));
    expect(row.status).toBe('active');
    // The service just subscribed is no longer offered.
    const options = await page.getByLabel('Service', { exact: true }).locator('option').allTextContents();
    expect(options).not.toContain(service.name);

    // Every other section of the member, each in the URL, each scanned.
    for (const [tab, heading] of [
      ['couts', /Coûts \d{4}/],
      ['factures', 'Factures et paiements'],
      ['adhesion', 'Adhésion'],
    ] as const) {
      await page.goto(`${platform.baseUrl}/operateur/adherents/${laRoche.id}?onglet=${tab}`);
      await page.getByRole('heading', { level: 2, name: heading }).waitFor();
      await page
        .locator('.loading')
        .first()
        .waitFor({ state: 'detached' })
        .catch(() => undefined);
      await expectAccessible(page, `fiche adhérent, onglet ${tab}`);
    }
    // The Chorus Pro service code, edited by an operator admin on the member's record (the billing
    // preview checks it).
    const admin = await (await platform.browser.newContext({ locale: 'fr-FR' })).newPage();
    await signInAs(admin, platform.baseUrl, 'admin@socle.example');
    await admin.goto(`${platform.baseUrl}/operateur/adherents/${laRoche.id}`);
    await admin.getByRole('button', { name: 'Modifier les informations' }).click();
    await admin.getByLabel('Code service Chorus Pro').fill('SERV-FIN-01');
    await admin.getByLabel('Code service exigé par Chorus Pro').selectOption('true');
    await expectAccessible(admin, 'fiche adhérent, modification des informations');
    await admin.getByRole('button', { name: 'Enregistrer', exact: true }).click();
    await admin.getByText('SERV-FIN-01').waitFor();
    await admin.context().close();
    // Switching tabs writes the URL.
    await page.getByRole('tab', { name: 'Contacts' }).click();
    await page.waitForURL(/onglet=contacts/);
    await context.close();
  });

  it('finds an invoice by its number and a commune by its INSEE code from the header, by keyboard', async () => {
    const [invoice] = await platform.database.db
      .select({ number: invoices.number, memberName: invoices.memberName })
      .from(invoices)
      .orderBy(desc(invoices.number))
      .limit(1);
    expect(invoice, 'the demo issues invoices').toBeDefined();
    page = await newPage();
    await logIn(page, platform.baseUrl, 'finance@socle.example');
    await page.getByRole('heading', { level: 1, name: 'Tableau de bord' }).waitFor();

    // « / » focuses the header's search box from anywhere outside a field.
    await page.locator('body').press('/');
    const box = page.getByRole('searchbox', { name: /Recherche globale/ });
    await expect(box.evaluate((el) => el === document.activeElement)).resolves.toBe(true);
    await box.fill(invoice.number);
    await box.press('Enter');
    await page.getByRole('heading', { level: 1, name: `Recherche : ${invoice.number}` }).waitFor();
    const factures = page.getByRole('region', { name: /Factures/ });
    await factures.getByRole('link', { name: new RegExp(invoice.number) }).waitFor();
    await expectAccessible(page, 'résultats de recherche (facture)');

    // Ctrl+K focuses it too; a commune by its INSEE code, shown with its département.
    await page.keyboard.press('Control+k');
    await expect(box.evaluate((el) => el === document.activeElement)).resolves.toBe(true);
    await box.fill('85191');
    await box.press('Enter');
    await page.getByRole('heading', { level: 1, name: 'Recherche : 85191' }).waitFor();
    const structures = page.getByRole('region', { name: /Structures/ });
    const commune = structures.getByRole('link', { name: 'La Roche-sur-Yon (85)' });
    await commune.waitFor();
    await expectAccessible(page, 'résultats de recherche (commune)');
    await commune.click();
    await page.getByRole('heading', { level: 1, name: /La Roche-sur-Yon/ }).waitFor();

    // The invoices list searches by number too.
    await page.goto(`${platform.baseUrl}/operateur/facturation?q=${encodeURIComponent(invoice.number)}`);
    await page.getByRole('button', { name: new RegExp(`^${invoice.number}`) }).waitFor();
    await expectAccessible(page, 'factures filtrées par numéro');
    await context.close();
  });

  it('lets a secretary report a data breach to the DPO from her space', async () => {
    page = await newPage();
    await logIn(page, platform.baseUrl, 'secretaire@communes.example');
    await page.getByRole('heading', { level: 1, name: /Ma structure/ }).waitFor();
    // Her home: the sections she may see, as tabs.
    await page.getByRole('tab', { name: 'Informations' }).waitFor();
    await expectAccessible(page, 'espace de la structure (secrétaire)');
    await page.goto(`${platform.baseUrl}/espace?onglet=rgpd`);
    await page.getByRole('heading', { level: 2, name: 'RGPD' }).waitFor();
    await page.getByRole('heading', { level: 3, name: 'Délégué à la protection des données' }).waitFor();
    await expectAccessible(page, 'espace de la structure, onglet RGPD');

    await page.goto(`${platform.baseUrl}/espace/rgpd/violations`);
    await page.getByRole('heading', { level: 1, name: 'Violations de données' }).waitFor();
    await page.getByRole('button', { name: 'Signaler une violation au DPO' }).click();
    const dialog = page.getByRole('dialog', { name: 'Signaler une violation de données au DPO' });
    await dialog.waitFor();
    await expectAccessible(page, 'signalement d’une violation');
    const description = 'La clé USB contenant la liste électorale a été perdue ce matin.';
    await dialog.getByLabel('Que s’est-il passé ?').fill(description);
    await dialog.getByRole('checkbox', { name: /Confidentialité/ }).check();
    await dialog.getByRole('button', { name: 'Signaler au DPO' }).click();
    await page.getByText('Violation signalée au DPO').waitFor();
    await page.getByText(description).first().waitFor();
    await expectAccessible(page, 'violation signalée');

    const [breach] = await platform.database.db
      .select({ memberId: rgpdBreaches.memberId, nature: rgpdBreaches.nature })
      .from(rgpdBreaches)
      .where(sql`${rgpdBreaches.dataDescription} LIKE ${`%${description}%`}`);
    expect(breach.nature).toEqual(['confidentiality']);
    const mails = await platform.database.db
      .select({ to: outboxMails.toAddress })
      .from(outboxMails)
      .where(sql`${outboxMails.textBody} LIKE ${`%${description}%`}`);
    expect(mails.map((m) => m.to)).toContain('dpo@socle.example');
    await context.close();
  });
});
