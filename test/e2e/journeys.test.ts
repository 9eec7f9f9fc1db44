import { and, eq, isNull, notExists, sql } from 'drizzle-orm';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { communes, jobs, organisations } from '../../src/server/platform/db/schema.js';
import {
  browserAvailable,
  expectAccessible,
  logIn,
  type Platform,
  signInAs,
  startPlatform,
} from './support.js';

const hasBrowser = browserAvailable();

describe.skipIf(!hasBrowser)('browser journeys with accessibility scans', () => {
  let platform: Platform;
  let context: BrowserContext;
  let page: Page;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    platform = await startPlatform();
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

  async function visit(p: Page, path: string, h1: string | RegExp) {
    await p.goto(`${platform.baseUrl}${path}`);
    await p.getByRole('heading', { level: 1, name: h1 }).waitFor();
  }

  it('shows the public pages: home, members list, map, accessibility statement', async () => {
    page = await newPage();
    await visit(page, '/', /./);
    await expect(page.title()).resolves.toMatch(/Socle/);
    await expect(page.locator('html').getAttribute('lang')).resolves.toBe('fr');
    await expectAccessible(page, 'accueil');
    await visit(page, '/adherents', /adhérent/i);
    await page.locator('tbody tr').first().waitFor();
    await expectAccessible(page, 'liste publique des adhérents');
    await visit(page, '/carte', /carte/i);
    const vendee = page.getByRole('link', { name: /Vendée \(85\)/ });
    await vendee.waitFor();
    await expect(vendee.isVisible()).resolves.toBe(true);
    await expectAccessible(page, 'carte');
    await visit(page, '/accessibilite', /accessibilit/i);
    await expectAccessible(page, 'déclaration d’accessibilité');
    await context.close();
  });

  it('lets the operator admin log in, search a member and open its page', async () => {
    page = await newPage();
    await page.goto(`${platform.baseUrl}/connexion`);
    await page.getByRole('heading', { level: 1 }).waitFor();
    await expectAccessible(page, 'connexion');
    await logIn(page, platform.baseUrl, 'admin@socle.example');
    await page.getByRole('heading', { level: 1, name: 'Tableau de bord' }).waitFor();
    // Focus moves to the page heading after navigation.
    await expect(page.evaluate(() => document.activeElement?.tagName)).resolves.toBe('H1');
    await expectAccessible(page, 'tableau de bord');

    await page.getByRole('link', { name: 'Adhérents', exact: true }).click();
    await page.getByRole('heading', { level: 1 }).waitFor();
    await page.getByLabel('Rechercher').fill('roche yon');
    await page.getByRole('button', { name: 'Filtrer' }).click();
    const link = page.locator('tbody tr th a', { hasText: 'La Roche-sur-Yon' }).first();
    await link.waitFor();
    await expectAccessible(page, 'liste des adhérents filtrée');
    await link.click();
    await page.getByRole('heading', { level: 1, name: /La Roche-sur-Yon/ }).waitFor();
    await expectAccessible(page, 'fiche adhérent');
  });

  it('accepts a membership request on behalf of the comité syndical', async () => {
    await visit(page, '/operateur/adherents?status=requested', /adhérents/i);
    const first = page.locator('tbody tr th a').first();
    await first.waitFor();
    const name = (await first.textContent())?.trim() ?? '';
    await first.click();
    await page.getByRole('heading', { level: 1, name }).waitFor();
    await page.getByRole('tab', { name: 'Adhésion' }).click();
    await page.getByRole('button', { name: 'Accepter la demande (comité syndical)' }).click();
    await page.getByRole('dialog').waitFor();
    await expectAccessible(page, 'dialogue de décision');
    // Without the decision reference the form refuses and says which field is missing.
    await page.getByRole('button', { name: 'Valider' }).click();
    await page.locator('.alert--error').first().waitFor();
    await page.getByLabel('Référence de la décision').fill('CS-2026-042');
    await page.getByRole('button', { name: 'Valider' }).click();
    await page.getByRole('dialog').waitFor({ state: 'detached' });
    await page.getByText('CS-2026-042').first().waitFor();
    await expectAccessible(page, 'historique après acceptation');
    const [row] = await platform.database.db
      .select({ status: organisations.status })
      .from(organisations)
      .where(eq(organisations.name, name));
    expect(row.status).toBe('accepted');
  });

  it('imports a CSV: the dry run reports every bad line, the corrected file is imported', async () => {
    const free = await platform.database.db
      .select({ code: communes.code, name: communes.name, siren: communes.siren })
      .from(communes)
      .where(
        and(
          eq(communes.departementCode, '72'),
          isNull(communes.abolishedAt),
          notExists(
            platform.database.db
              .select()
              .from(organisations)
              .where(eq(organisations.communeCode, communes.code)),
          ),
        ),
      )
      .orderBy(communes.code)
      .limit(2);
    expect(free).toHaveLength(2);
    const header = 'type;nom;siren;code insee;statut';
    const bad = [
      header,
      `Commune;;${free[0].siren};${free[0].code};Prospect`,
      `Commune;;123456789;${free[1].code};Prospect`,
      'Syndicat mixte;Syndicat de test;;;Prospect',
    ].join('\n');
    await visit(page, '/operateur/import', /import/i);
    await page
      .getByLabel('Fichier CSV')
      .setInputFiles({ name: 'adherents.csv', mimeType: 'text/csv', buffer: Buffer.from(bad) });
    await page.getByRole('button', { name: 'Vérifier le fichier' }).click();
    await page.getByText('Le fichier contient des erreurs').waitFor();
    const report = page.getByRole('region', { name: 'Rapport de vérification' });
    await expect(report.getByText('123456789').count()).resolves.toBeGreaterThan(0);
    await expectAccessible(page, 'rapport d’import avec erreurs');

    const corrected = [
      header,
      `Commune;;${free[0].siren};${free[0].code};Prospect`,
      `Commune;;${free[1].siren};${free[1].code};Prospect`,
    ].join('\n');
    await page
      .getByLabel('Fichier CSV')
      .setInputFiles({ name: 'adherents.csv', mimeType: 'text/csv', buffer: Buffer.from(corrected) });
    await page.getByRole('button', { name: 'Vérifier le fichier' }).click();
    await page.getByText('Le fichier est correct').waitFor();
    await page.getByRole('button', { name: /Importer 2 structures/ }).click();
    await page.getByText('Import terminé').waitFor();
    await expectAccessible(page, 'import terminé');
    const imported = await platform.database.db
      .select({ n: sql<number>`count(*)::int` })
      .from(organisations)
      .where(sql`${organisations.communeCode} IN (${free[0].code}, ${free[1].code})`);
    expect(imported[0].n).toBe(2);
    await context.close();
  });

  it('lets a member admin invite a colleague who then creates an account from the mailed link', async () => {
    page = await newPage();
    // Signed in (the login page's own h1 is not the one to wait for).
    await signInAs(page, platform.baseUrl, 'mairie@larochesuryon.example');
    await expectAccessible(page, 'espace adhérent');
    await page.getByRole('link', { name: 'Utilisateurs', exact: true }).click();
    await page.getByRole('heading', { level: 1 }).waitFor();
    const email = 'nouvelle.collegue@larochesuryon.example';
    await page.getByLabel('Adresse électronique').fill(email);
    await page.getByLabel('Rôle').selectOption('agent');
    await page.getByRole('button', { name: "Envoyer l'invitation" }).click();
    await page.getByRole('cell', { name: email }).first().waitFor();
    await expectAccessible(page, 'utilisateurs de la structure');
    await context.close();

    const link = await linkFromOutbox(email);
    page = await newPage();
    await page.goto(link);
    await page.getByLabel('Prénom et nom').waitFor();
    await expectAccessible(page, 'invitation');
    await page.getByLabel('Prénom et nom').fill('Nouvelle Collègue');
    await page.getByLabel('Mot de passe', { exact: true }).fill('un mot de passe assez long');
    await page.getByLabel('Confirmer le mot de passe').fill('un mot de passe assez long');
    await page.getByRole('button', { name: 'Créer mon compte et accepter' }).click();
    await page.getByText('Nouvelle Collègue').first().waitFor();
    await context.close();
  });

  it('resets a forgotten password through the link kept in the outbox', async () => {
    page = await newPage();
    await visit(page, '/mot-de-passe-oublie', /mot de passe/i);
    await expectAccessible(page, 'mot de passe oublié');
    await page.getByLabel('Adresse électronique').fill('mairie@lessablesdolonne.example');
    await page.getByRole('button', { name: 'Recevoir le lien' }).click();
    await page.locator('.alert').first().waitFor();
    await context.close();

    const link = await linkFromOutbox('mairie@lessablesdolonne.example');
    page = await newPage();
    await page.goto(link);
    await page.getByLabel('Nouveau mot de passe', { exact: true }).waitFor();
    await page.getByLabel('Nouveau mot de passe', { exact: true }).fill('court');
    await page.getByLabel('Confirmer le nouveau mot de passe').fill('court');
    await page.getByRole('button', { name: 'Enregistrer le mot de passe' }).click();
    await page.locator('.alert--error').first().waitFor();
    await expectAccessible(page, 'réinitialisation avec erreur');
    const newPassword = 'nouveau mot de passe des Sables';
    await page.getByLabel('Nouveau mot de passe', { exact: true }).fill(newPassword);
    await page.getByLabel('Confirmer le nouveau mot de passe').fill(newPassword);
    await page.getByRole('button', { name: 'Enregistrer le mot de passe' }).click();
    await page.locator('.alert--success').first().waitFor();
    await logIn(page, platform.baseUrl, 'mairie@lessablesdolonne.example', newPassword);
    await page.waitForURL((u) => !u.pathname.startsWith('/connexion'));
    await page.getByRole('heading', { level: 1 }).waitFor();
    await context.close();
  });

  it('shows the operator admin the background jobs: the mails sent, the schedules, a retry', async () => {
    // A mail whose every attempt failed (its outbox row is gone, so a retry simply ends it).
    const [dead] = await platform.database.db
      .insert(jobs)
      .values({
        name: 'mail.send',
        payload: { outboxId: '00000000-0000-4000-8000-000000000000' },
        state: 'dead',
        attempts: 10,
        maxAttempts: 10,
        lastError: 'Connexion refusée par le serveur SMTP',
        finishedAt: new Date(),
      })
      .returning({ id: jobs.id });
    page = await newPage();
    await logIn(page, platform.baseUrl, 'admin@socle.example');
    await page.getByRole('heading', { level: 1, name: 'Tableau de bord' }).waitFor();
    await page.getByRole('link', { name: 'Travaux', exact: true }).click();
    await page.getByRole('heading', { level: 1, name: 'Travaux en arrière-plan' }).waitFor();
    await page.getByRole('rowheader', { name: /Rappels RGPD quotidiens/ }).waitFor();
    await page
      .getByRole('rowheader', { name: /Envoi d’un courriel/ })
      .first()
      .waitFor();
    await expectAccessible(page, 'travaux en arrière-plan');
    await page.getByLabel('État').selectOption('dead');
    await page.getByRole('button', { name: 'Filtrer' }).click();
    await page.waitForURL((u) => u.searchParams.get('etat') === 'dead');
    await page.getByText('Connexion refusée par le serveur SMTP').waitFor();
    await page.getByRole('button', { name: /^Relancer/ }).click();
    await page.getByText('Le travail est relancé').waitFor();
    await expectAccessible(page, 'travaux abandonnés après une relance');
    await expect
      .poll(async () => {
        const [row] = await platform.database.db
          .select({ state: jobs.state })
          .from(jobs)
          .where(eq(jobs.id, dead.id));
        return row.state;
      })
      .toBe('done');
    await context.close();
  });

  it('raised no script error in any page', () => {
    expect(pageErrors).toEqual([]);
  });

  /** The operator admin opens the outbox in the UI and follows the newest mail sent to `to`. */
  async function linkFromOutbox(to: string): Promise<string> {
    const admin = await newPage();
    await logIn(admin, platform.baseUrl, 'admin@socle.example');
    await admin.getByRole('heading', { level: 1, name: 'Tableau de bord' }).waitFor();
    await visit(admin, '/operateur/courriels', /courriel/i);
    await expectAccessible(admin, 'boîte d’envoi');
    await admin
      .getByRole('row', { name: new RegExp(to.replace(/\./g, '\\.')) })
      .first()
      .getByRole('link')
      .click();
    await admin.locator('.mail-body a').first().waitFor();
    await expectAccessible(admin, 'courriel');
    const href = await admin.locator('.mail-body a').first().getAttribute('href');
    await context.close();
    if (!href) throw new Error(`no link in the mail sent to ${to}`);
    // Mailed links carry the platform's public URL (its real port).
    expect(href.slice(0, platform.baseUrl.length + 1)).toBe(`${platform.baseUrl}/`);
    return href;
  }
});
