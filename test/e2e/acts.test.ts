import crypto from 'node:crypto';
import { and, eq, isNull } from 'drizzle-orm';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { actMessages, acts } from '../../src/server/platform/db/schema.js';
import { renderPdf } from '../../src/server/seed/pdf.js';
import {
  browserAvailable,
  expectAccessible,
  memberIdOfCommune,
  type Platform,
  signInAs,
  startPlatform,
} from './support.js';

const hasBrowser = browserAvailable();
/**
 * Each step runs several axe scans of a second or two and waits for the prefecture: about 20 s each on
 * a quiet machine, up to 80 s on a loaded 2-core one.
 */
const STEP_TIMEOUT = 150_000;

/** Yesterday in Paris: a decision date the server accepts whatever the hour of the run. */
const yesterday = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Paris' }).format(
  new Date(Date.now() - 86_400_000),
);
/** Unique per run (the number is unique per member and the demo copy is shared by the run's files). */
const NUMBER = `E2E_${String(Date.now()).slice(-8)}`;
/** The word the public searches with, typed without its accent nor capital. */
const SUBJECT = `Délibération portant dénomination de la place Zéphyrine-Guérin (parcours ${NUMBER})`;
const SEARCH_WORD = 'zephyrine';

describe.skipIf(!hasBrowser)(
  'acts: from the secretary to the public portal, with accessibility scans',
  () => {
    let platform: Platform;
    let context: BrowserContext;
    let page: Page;
    let laRocheId: string;
    let sha256 = '';
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

    const h1 = (p: Page, name: string | RegExp) => p.getByRole('heading', { level: 1, name }).waitFor();

    it(
      'lets the town create a deliberation, attach its PDF, transmit it, see the acknowledgement and publish it',
      async () => {
        page = await newPage();
        await signIn(page, 'mairie@larochesuryon.example');
        await page
          .getByRole('navigation', { name: 'Menu principal' })
          .getByRole('link', { name: 'Actes', exact: true })
          .click();
        await h1(page, /Actes : La Roche-sur-Yon/);
        await page.getByRole('region', { name: "Liste des délibérations d'une séance" }).waitFor();
        await page.getByText(/Chargement du registre/).waitFor({ state: 'detached' });
        await expectAccessible(page, 'registre des actes');

        // The demo's ready acts, each checkbox naming its act, sent together.
        const boxes = page.getByRole('checkbox', { name: /^Sélectionner l'acte \S+ pour le transmettre$/ });
        await boxes.first().waitFor();
        const picked: string[] = [];
        for (const box of (await boxes.all()).slice(0, 2)) {
          picked.push(/l'acte (\S+) /.exec((await box.getAttribute('aria-label')) ?? '')?.[1] ?? '');
          await box.check();
        }
        await page.getByRole('button', { name: 'Transmettre la sélection' }).click();
        const outcome = page.getByRole('list', { name: 'Résultat acte par acte' });
        for (const number of picked) {
          await outcome.getByText(`Acte ${number} : transmission demandée.`).waitFor();
        }
        await expectAccessible(page, 'sélection transmise');

        await page.getByRole('link', { name: 'Créer un acte' }).click();
        await h1(page, 'Nouvel acte');
        await expect(page.evaluate(() => document.activeElement?.tagName)).resolves.toBe('H1');
        await expectAccessible(page, 'nouvel acte');

        // Refused in French, field by field, before anything is sent.
        await page.getByLabel('Numéro interne').fill('del-42');
        await page.getByRole('button', { name: 'Enregistrer le brouillon' }).click();
        const summary = page.getByRole('alert').filter({ hasText: "l'enregistrement" });
        await summary.getByText(/Le numéro ne contient que des majuscules/).waitFor();
        await summary.getByText(/L'objet est obligatoire/).waitFor();
        await summary.getByText(/La date de décision est obligatoire/).waitFor();
        // The first field at fault has the focus; the summary links to every one.
        await expect(page.evaluate(() => document.activeElement?.getAttribute('aria-invalid'))).resolves.toBe(
          'true',
        );
        await expectAccessible(page, 'nouvel acte refusé');

        // The prefecture's classification, fetched through the tiers de télétransmission.
        await page.getByRole('button', { name: 'Mettre à jour la classification' }).click();
        await page.getByText('Classification mise à jour.').waitFor();
        const classification = page.getByLabel('Matière (classification)');
        await expect.poll(() => classification.evaluate((el) => el.tagName)).toBe('SELECT');
        await classification.selectOption('3.1');
        await page.getByLabel('Numéro interne').fill(NUMBER);
        await page.getByLabel('Date de la décision').fill(yesterday);
        await page.getByLabel('Objet', { exact: true }).fill(SUBJECT);
        await page.getByLabel('Signataire').fill('Luc Bouard, maire');
        await page.getByLabel('Date de signature').fill(yesterday);
        await page.getByLabel('Date de la séance du conseil').fill(yesterday);
        await page.getByLabel('Pour', { exact: true }).fill('45');
        await page.getByLabel('Contre', { exact: true }).fill('4');
        await page.getByRole('button', { name: 'Enregistrer le brouillon' }).click();

        await h1(page, `Acte ${NUMBER}`);
        const status = page.getByRole('status').filter({ hasText: 'Statut' });
        await status.getByText('Brouillon').waitFor();
        await expectAccessible(page, 'acte en brouillon');

        const pdf = renderPdf(`Délibération ${NUMBER}`, [
          { text: 'Ville de La Roche-sur-Yon', bold: true, size: 14 },
          { text: 'Extrait du registre des délibérations du conseil municipal', gapBefore: 12 },
          { text: SUBJECT, bold: true, gapBefore: 12 },
          {
            text: 'Le conseil municipal, après en avoir délibéré, adopte la dénomination proposée.',
            gapBefore: 8,
          },
        ]);
        await page
          .getByLabel('Fichier', { exact: true })
          .setInputFiles({ name: `${NUMBER}.pdf`, mimeType: 'application/pdf', buffer: pdf });
        await page.getByRole('button', { name: 'Déposer la pièce' }).click();
        await page.getByText(`Pièce « ${NUMBER}.pdf » déposée.`).waitFor();
        await page.getByRole('table', { name: "Pièces de l'acte" }).getByText(`${NUMBER}.pdf`).waitFor();
        await expectAccessible(page, 'pièce déposée');

        await page.getByRole('button', { name: 'Prêt à transmettre' }).click();
        await status.getByText('Prêt à transmettre').waitFor();
        await page.getByRole('button', { name: 'Transmettre à la préfecture' }).click();
        await page.getByText(/Transmission demandée : l'acte part vers la préfecture/).waitFor();
        await expectAccessible(page, 'acte en cours de transmission');
        // The fake S²LOW acknowledges in 2 s; the page asks for news by itself while the act travels.
        await status.getByText('Accusé de réception reçu').waitFor({ timeout: 45_000 });
        const prefectureId = await page
          .getByRole('definition')
          .filter({ hasText: new RegExp(`^085-\\d{9}-\\d{8}-${NUMBER}-DE$`) })
          .textContent();
        expect(prefectureId).toMatch(new RegExp(`^085-\\d{9}-\\d{8}-${NUMBER}-DE$`));
        await page.getByText('Fin du contrôle de légalité').waitFor();
        await expectAccessible(page, 'acte acquitté');

        await page.getByRole('button', { name: 'Publier', exact: true }).click();
        const dialog = page.getByRole('dialog', { name: "Publier l'acte : action définitive" });
        await dialog.getByText(/Une publication est définitive/).waitFor();
        await expectAccessible(page, 'dialogue de publication');
        await dialog.getByRole('button', { name: 'Publier définitivement' }).click();
        await dialog.waitFor({ state: 'detached' });
        await page.getByText(/Acte publié : il figure sur le portail public/).waitFor();
        await page.getByText(/^Exécutoire depuis le/).waitFor();
        sha256 =
          (await page
            .getByRole('definition')
            .filter({ hasText: /^[0-9a-f]{64}$/ })
            .first()
            .textContent()) ?? '';
        expect(sha256).toMatch(/^[0-9a-f]{64}$/);
        await expect(page.getByRole('button', { name: 'Publier', exact: true }).count()).resolves.toBe(0);
        await expectAccessible(page, 'acte publié');
        await context.close();
      },
      STEP_TIMEOUT,
    );

    it(
      'lets the public find the act on the portal by a word of its subject and download its PDF',
      async () => {
        page = await newPage();
        await page.goto(`${platform.baseUrl}/adherents/${laRocheId}/actes`);
        await h1(page, 'Actes publiés : La Roche-sur-Yon');
        await page.getByRole('heading', { level: 2, name: 'Actes publiés' }).waitFor();
        await page.getByText(/Chargement des actes publiés/).waitFor({ state: 'detached' });
        await expectAccessible(page, 'portail public des actes');

        await page.getByLabel("Mots de l'objet").fill(SEARCH_WORD);
        await page.getByLabel('Nature').selectOption('DE');
        await page.getByRole('button', { name: 'Rechercher' }).click();
        const act = page.getByRole('article', { name: SUBJECT });
        await act.waitFor();
        await page.getByRole('status').filter({ hasText: '1 acte publié' }).waitFor();
        await act.getByText(new RegExp(`^085-\\d{9}-\\d{8}-${NUMBER}-DE$`)).waitFor();
        await act.getByText(sha256).waitFor();
        await expectAccessible(page, 'portail public filtré');

        const link = act.getByRole('link', { name: `Télécharger l'acte n° ${NUMBER} (PDF)` });
        const href = await link.getAttribute('href');
        const response = await page.request.get(`${platform.baseUrl}${href}`);
        expect(response.status()).toBe(200);
        expect(response.headers()['content-type']).toContain('application/pdf');
        const body = await response.body();
        expect(body.subarray(0, 5).toString('latin1')).toBe('%PDF-');
        // The fingerprint shown is the one of the file served.
        expect(crypto.createHash('sha256').update(body).digest('hex')).toBe(sha256);

        const csv = await page.request.get(
          `${platform.baseUrl}${await page.getByRole('link', { name: /format CSV/ }).getAttribute('href')}`,
        );
        expect(csv.status()).toBe(200);
        expect(await csv.text()).toContain(NUMBER);

        // The embeddable variant: the list alone, which any website may frame.
        const embedded = await page.goto(
          `${platform.baseUrl}/adherents/${laRocheId}/actes?embed=1&q=${SEARCH_WORD}`,
        );
        expect(embedded?.headers()['content-security-policy']).toContain('frame-ancestors *');
        expect(embedded?.headers()['x-frame-options']).toBeUndefined();
        await h1(page, 'Actes publiés : La Roche-sur-Yon');
        await page.getByRole('article', { name: SUBJECT }).waitFor();
        await expect(page.getByRole('navigation', { name: 'Menu principal' }).count()).resolves.toBe(0);
        await expectAccessible(page, 'portail intégrable');
        await context.close();
      },
      STEP_TIMEOUT,
    );

    it(
      'shows a demande de pièces complémentaires from the prefecture with its answer form',
      async () => {
        const [pending] = await platform.database.db
          .select({ actId: actMessages.actId, number: acts.number })
          .from(actMessages)
          .innerJoin(acts, eq(acts.id, actMessages.actId))
          .where(
            and(
              eq(actMessages.memberId, laRocheId),
              eq(actMessages.kind, 'demande_pieces'),
              isNull(actMessages.answeredAt),
            ),
          )
          .limit(1);
        expect(pending, 'the demo has a demande de pièces at La Roche-sur-Yon').toBeDefined();
        page = await newPage();
        await signIn(page, 'mairie@larochesuryon.example');
        await page.goto(`${platform.baseUrl}/espace/actes/${pending.actId}`);
        await h1(page, `Acte ${pending.number}`);
        const exchanges = page.getByRole('region', { name: 'Échanges avec la préfecture' });
        const request = exchanges.getByRole('article', { name: /Demande de pièces complémentaires/ });
        await request.getByText('Réponse attendue', { exact: true }).waitFor();
        await request
          .getByRole('table')
          .getByRole('link', { name: /Demande de pièces complémentaires\.pdf/ })
          .waitFor();
        await expectAccessible(page, 'acte avec une demande de pièces');
        // No file: refused in the browser, the summary names the field.
        await request.getByRole('button', { name: 'Envoyer les pièces à la préfecture' }).click();
        await request
          .getByRole('alert')
          .getByText(/Joignez au moins une pièce/)
          .waitFor();
        await expectAccessible(page, 'réponse sans pièce');
        await context.close();
      },
      STEP_TIMEOUT,
    );

    it(
      'shows the transmission to the operator on the Télétransmission page',
      async () => {
        page = await newPage();
        await signIn(page, 'admin@socle.example');
        await page
          .getByRole('navigation', { name: 'Menu principal' })
          .getByRole('link', { name: 'Télétransmission' })
          .click();
        await h1(page, 'Télétransmission des actes');
        await page.getByRole('table', { name: 'Transmissions des structures' }).waitFor();
        await expectAccessible(page, 'télétransmission');
        await page.getByLabel('Statut').selectOption('acknowledged');
        await page.getByRole('button', { name: 'Filtrer' }).click();
        const row = page.getByRole('row', { name: new RegExp(NUMBER) });
        await row.getByText('La Roche-sur-Yon').waitFor();
        await row.getByText('Accusé de réception reçu').waitFor();
        await expectAccessible(page, 'télétransmission filtrée');

        // A failed transmission, with its reason, sent again.
        await page.getByLabel('Statut').selectOption('error');
        await page.getByRole('button', { name: 'Filtrer' }).click();
        const failed = page
          .getByRole('table', { name: 'Transmissions des structures' })
          .getByRole('row')
          .nth(1);
        await failed.getByText('En erreur').waitFor();
        const retry = failed.getByRole('button', { name: /^Relancer la transmission de l'acte / });
        const label = (await retry.getAttribute('aria-label')) ?? '';
        const number = /l'acte (\S+) /.exec(label)?.[1];
        await expectAccessible(page, 'transmissions en erreur');
        await retry.click();
        await page.getByText(`Transmission de l'acte ${number} relancée.`).waitFor();
        await expectAccessible(page, 'transmission relancée');
        await context.close();
      },
      STEP_TIMEOUT,
    );

    it(
      "lets the operator keep its own register: its comité syndical's deliberations",
      async () => {
        page = await newPage();
        await signIn(page, 'admin@socle.example');
        await page
          .getByRole('navigation', { name: 'Menu principal' })
          .getByRole('link', { name: 'Actes du syndicat' })
          .click();
        await h1(page, /^Actes : /);
        // The demo's past sessions of the comité adopted deliberations (DE acts of the operator).
        const register = page.getByRole('table');
        const first = register.getByRole('row').nth(1);
        await first.getByText('Délibération').waitFor();
        expect(await page.getByRole('link', { name: 'Portail public des actes' }).count()).toBe(0);
        await expectAccessible(page, 'registre des actes de l’opérateur');
        await first.getByRole('link').first().click();
        await page.getByRole('heading', { level: 1 }).waitFor();
        await page.getByRole('link', { name: 'Registre des actes' }).waitFor();
        await expectAccessible(page, 'délibération du comité syndical');
        await context.close();
      },
      STEP_TIMEOUT,
    );

    it('raised no script error in any page', () => {
      expect(pageErrors).toEqual([]);
    });
  },
);
