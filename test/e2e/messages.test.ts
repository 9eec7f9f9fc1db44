/**
 * Messages a person understands: an empty new-structure form tells every missing field at once, in
 * French sentences naming them, and puts the focus on the first; a creation is confirmed in the app's
 * polite live region; dates are those of Paris although the browser lives in New York.
 */
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { frenchDate } from '../../src/contracts/french.js';
import { withLuhnDigit } from '../../src/contracts/identifiers.js';
import { browserAvailable, expectAccessible, logIn, type Platform, startPlatform } from './support.js';

const hasBrowser = browserAvailable();

describe.skipIf(!hasBrowser)('French messages, confirmations and Paris dates', () => {
  let platform: Platform;
  let context: BrowserContext;
  let page: Page;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    platform = await startPlatform();
    // A browser far from Paris: the pages must still show Paris dates.
    context = await platform.browser.newContext({ locale: 'fr-FR', timezoneId: 'America/New_York' });
    page = await context.newPage();
    page.on('pageerror', (e) => pageErrors.push(e.message));
    await logIn(page, platform.baseUrl, 'admin@socle.example');
    await page.getByRole('heading', { level: 1, name: 'Tableau de bord' }).waitFor();
  });
  afterAll(async () => {
    await context?.close();
    await platform?.close();
  });

  it('tells every missing field of an empty new structure in French, and focuses the first', async () => {
    await page.goto(`${platform.baseUrl}/operateur/adherents/nouveau`);
    await page.getByRole('heading', { level: 1, name: 'Nouvelle structure' }).waitFor();
    await page.getByRole('button', { name: 'Créer la structure' }).click();
    const summary = page.getByRole('alert').filter({ hasText: "2 erreurs empêchent l'enregistrement" });
    await summary.waitFor();
    const items = await summary.getByRole('listitem').allTextContents();
    expect(items.sort()).toEqual(['La commune est obligatoire', 'Le SIREN est obligatoire']);
    expect(await page.getByText(/Entrée invalide|attendu, indéfini reçu/).count()).toBe(0);
    // Both fields are flagged, with their message tied to them.
    const siren = page.getByRole('textbox', { name: 'SIREN', exact: true });
    await expect(siren.getAttribute('aria-invalid')).resolves.toBe('true');
    const commune = page.getByRole('combobox', { name: 'Commune', exact: true });
    await expect(commune.getAttribute('aria-invalid')).resolves.toBe('true');
    // The first invalid field in the form's order (Commune, then SIREN) has the focus.
    await expect(commune.evaluate((el) => el === document.activeElement)).resolves.toBe(true);
    await expectAccessible(page, 'formulaire de nouvelle structure en erreur');

    // A SIREN of the wrong length is told as such.
    await siren.fill('1234');
    await page.getByRole('button', { name: 'Créer la structure' }).click();
    await page.getByRole('alert').filter({ hasText: 'Le SIREN compte 9 chiffres' }).waitFor();
  });

  it('confirms a creation in the polite live region, with Paris dates', async () => {
    await page.goto(`${platform.baseUrl}/operateur/adherents/nouveau`);
    await page.getByRole('heading', { level: 1, name: 'Nouvelle structure' }).waitFor();
    await page.getByLabel('Type de structure').selectOption('autre');
    const name = `Régie des messages ${Date.now() % 100_000}`;
    await page.getByRole('textbox', { name: 'Nom', exact: true }).fill(name);
    await page
      .getByRole('textbox', { name: 'SIREN', exact: true })
      .fill(withLuhnDigit(`9${String(Date.now()).slice(-7)}`));
    await page.getByRole('button', { name: 'Créer la structure' }).click();
    await page.getByRole('heading', { level: 1, name }).waitFor();
    const status = page.getByRole('status').filter({ hasText: `Structure « ${name} » créée.` });
    await status.waitFor();
    await expect(status.getAttribute('aria-live')).resolves.toBe('polite');
    // The history says when it was recorded: today in Paris, not in New York.
    await page.getByRole('tab', { name: 'Adhésion' }).click();
    await page
      .getByText(`enregistré le ${frenchDate(new Date())} à`)
      .first()
      .waitFor();
    await expectAccessible(page, 'fiche de la structure créée, confirmation affichée');
    expect(pageErrors).toEqual([]);
  });

  it('fails the accessibility scan of a page with violations (the scans of every journey can fail)', async () => {
    const bad = await context.newPage();
    await bad.setContent(
      '<html lang="fr"><head><title>Page fautive</title></head><body><main><h1>Page fautive</h1>' +
        '<img src="plan.png"><input type="text"><p style="color:#bbb;background:#fff">Pâle</p></main></body></html>',
    );
    const failure = await expectAccessible(bad, 'page fautive').then(
      () => null,
      (error: unknown) => error,
    );
    await bad.close();
    expect(failure).toMatchObject({ message: expect.stringContaining('violations axe sur page fautive') });
    // The assertion's list of violations, one line per rule: its id first.
    const found = (failure as { actual?: string[] }).actual ?? [];
    expect(found.map((line) => line.split(' ')[0]).sort()).toEqual(['color-contrast', 'image-alt', 'label']);
  });

  it('lets the browser keep the built scripts a year and asks again for the page that names them', async () => {
    const html = await fetch(`${platform.baseUrl}/espace`);
    expect(html.headers.get('cache-control')).toBe('no-cache');
    const script = (await html.text()).match(/src="(\/assets\/[^"]+\.js)"/)?.[1];
    expect(script).toBeDefined();
    const asset = await fetch(`${platform.baseUrl}${script}`);
    expect(asset.status).toBe(200);
    expect(asset.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    // A file of the public folder keeps no hash in its name: revalidated as before.
    const icon = await fetch(`${platform.baseUrl}/favicon.svg`);
    expect(icon.headers.get('cache-control')).toBe('public, max-age=0');
  });
});
