import { eq } from 'drizzle-orm';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { proconnectIdentities } from '../../src/server/platform/db/schema.js';
import {
  browserAvailable,
  DEMO_PASSWORD,
  expectAccessible,
  memberIdOfCommune,
  type Platform,
  signInAs,
  startPlatform,
} from './support.js';

const hasBrowser = browserAvailable();
const STEP_TIMEOUT = 120_000;
const LA_ROCHE = 'mairie@larochesuryon.example';
const OPERATOR_ADMIN = 'admin@socle.example';

describe.skipIf(!hasBrowser)(
  'open platform: signing in with the demo ProConnect, API tokens, with accessibility scans',
  () => {
    let platform: Platform;
    let laRocheId = '';
    const pageErrors: string[] = [];

    beforeAll(async () => {
      platform = await startPlatform();
      laRocheId = await memberIdOfCommune(platform, '85191');
    });
    afterAll(async () => {
      await platform?.close();
    });

    async function newPage(): Promise<Page> {
      const context = await platform.browser.newContext({ locale: 'fr-FR', timezoneId: 'Europe/Paris' });
      const page = await context.newPage();
      page.on('pageerror', (e) => pageErrors.push(e.message));
      return page;
    }

    it(
      "signs La Roche-sur-Yon's agent in with the demo ProConnect",
      async () => {
        const page = await newPage();
        await page.goto(`${platform.baseUrl}/connexion`);
        const button = page.getByRole('link', { name: "S'identifier avec ProConnect" });
        await button.waitFor();
        await expectAccessible(page, 'connexion avec ProConnect');
        await button.click();
        await page.getByRole('heading', { level: 1, name: 'ProConnect (démonstration)' }).waitFor();
        await expectAccessible(page, 'page du fournisseur ProConnect de démonstration');
        await page.getByRole('radio', { name: /Hélène Rabiller/ }).check();
        await page.getByRole('button', { name: 'Continuer' }).click();
        // First time: the address is an existing account's; the link waits for its password, once.
        await page.waitForURL((u) => u.pathname === '/connexion' && u.search.includes('confirmer'));
        await page.getByRole('heading', { name: 'Confirmer avec votre mot de passe' }).waitFor();
        await page.getByText(/correspond à un compte Socle existant/).waitFor();
        await expectAccessible(page, 'confirmation du lien ProConnect');
        await page.getByLabel('Adresse électronique').fill(LA_ROCHE);
        await page.getByLabel('Mot de passe', { exact: true }).fill('pas-le-bon-mot-de-passe');
        await page.getByRole('button', { name: 'Se connecter' }).click();
        await page.getByText('Adresse électronique ou mot de passe incorrect.').waitFor();
        const linksBefore = await platform.database.db
          .select()
          .from(proconnectIdentities)
          .where(eq(proconnectIdentities.sub, 'demo-pc-helene-rabiller'));
        expect(linksBefore).toEqual([]);
        await page.getByLabel('Mot de passe', { exact: true }).fill(DEMO_PASSWORD);
        await page.getByRole('button', { name: 'Se connecter' }).click();
        await page.waitForURL((u) => u.pathname === '/espace');
        await page.getByRole('heading', { level: 1, name: /La Roche-sur-Yon/ }).waitFor();
        // Signed out, then ProConnect again: straight in now.
        await page.getByRole('button', { name: /menu du compte/ }).click();
        await page.getByRole('menuitem', { name: 'Se déconnecter' }).click();
        await page.waitForURL((u) => u.pathname === '/connexion');
        // (The provider may still hold Hélène's session from the first time: then no picker.)
        await page.getByRole('link', { name: "S'identifier avec ProConnect" }).click();
        const picker = page.getByRole('heading', { level: 1, name: 'ProConnect (démonstration)' });
        const back = page.waitForURL((u) => u.pathname === '/espace');
        await Promise.race([picker.waitFor(), back]);
        if (await picker.isVisible()) {
          await page.getByRole('radio', { name: /Hélène Rabiller/ }).check();
          await page.getByRole('button', { name: 'Continuer' }).click();
        }
        await back;
        await page.getByRole('heading', { level: 1, name: /La Roche-sur-Yon/ }).waitFor();
        await expectAccessible(page, 'espace de la structure après ProConnect');

        // Signing out ends the session here and at ProConnect (its end-session page), then comes back.
        await page.getByRole('button', { name: /menu du compte/ }).click();
        await page.getByRole('menuitem', { name: 'Se déconnecter' }).click();
        await page
          .getByRole('heading', { level: 1, name: 'Se déconnecter de ProConnect (démonstration)' })
          .waitFor();
        await page.getByRole('button', { name: 'Se déconnecter' }).click();
        await page.waitForURL((u) => u.pathname === '/connexion');
        await page.getByRole('link', { name: "S'identifier avec ProConnect" }).waitFor();
        expect(pageErrors).toEqual([]);
        await page.context().close();
      },
      STEP_TIMEOUT,
    );

    it(
      'lets a member admin create a token, use it once, and revoke it; the operator has its own',
      async () => {
        const page = await newPage();
        await signInAs(page, platform.baseUrl, LA_ROCHE);
        await page.goto(`${platform.baseUrl}/espace/utilisateurs`);
        await page.getByRole('link', { name: "Demandes d'accès ProConnect" }).click();
        await page.getByRole('heading', { level: 1, name: "Demandes d'accès ProConnect" }).waitFor();
        await page.getByText('Aucune demande en attente.').waitFor();
        await expectAccessible(page, "demandes d'accès");
        await page.getByRole('link', { name: 'Retour aux utilisateurs' }).click();
        await page.getByRole('link', { name: "Jetons d'API de la structure" }).click();
        await page.getByRole('heading', { level: 1, name: "Jetons d'API de ma structure" }).waitFor();
        await page.getByRole('cell', { name: 'Logiciel de finances (démo)' }).waitFor();
        await expectAccessible(page, 'jetons de la structure');

        await page.getByText(/continue de fonctionner si la personne/).waitFor();
        await page.getByLabel('Nom du jeton').fill('Site internet de la ville');
        await page.getByLabel('Type de jeton').selectOption('member');
        await page.getByLabel('Adhérents').selectOption('read');
        await page.getByRole('button', { name: 'Créer le jeton' }).click();
        const secret = page.locator('code.token-secret');
        await secret.waitFor();
        const token = (await secret.textContent())?.trim() ?? '';
        expect(token).toMatch(/^socle_/);
        await expectAccessible(page, 'jeton affiché une fois');

        const url = `${platform.baseUrl}/api/v1/members/${laRocheId}/contacts`;
        const used = await fetch(url, { headers: { authorization: `Bearer ${token}` } });
        expect(used.status).toBe(200);

        await page.getByRole('button', { name: "J'ai copié le jeton" }).click();
        await page.getByRole('button', { name: 'Révoquer le jeton Site internet de la ville' }).click();
        await page.getByRole('cell', { name: 'Site internet de la ville' }).waitFor({ state: 'detached' });
        const refused = await fetch(url, { headers: { authorization: `Bearer ${token}` } });
        expect(refused.status).toBe(401);
        await page.context().close();

        // The operator's admin: the ProConnect rule and the operator's tokens.
        const operator = await newPage();
        await signInAs(operator, platform.baseUrl, OPERATOR_ADMIN);
        await operator.goto(`${platform.baseUrl}/operateur/utilisateurs`);
        await operator.getByLabel(/Exiger ProConnect pour les agents/).waitFor();
        await expectAccessible(operator, "utilisateurs de l'opérateur et règle ProConnect");
        await operator.getByRole('link', { name: "Jetons d'API de l'opérateur" }).click();
        await operator.getByRole('heading', { level: 1, name: "Jetons d'API de l'opérateur" }).waitFor();
        await operator.getByText('Aucun jeton actif.').waitFor();
        await expectAccessible(operator, "jetons de l'opérateur");
        expect(pageErrors).toEqual([]);
        await operator.context().close();
      },
      STEP_TIMEOUT,
    );
  },
);
