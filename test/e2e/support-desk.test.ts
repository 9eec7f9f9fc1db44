import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defined } from '../../src/contracts/defined.js';
import { browserAvailable, expectAccessible, type Platform, signInAs, startPlatform } from './support.js';

const hasBrowser = browserAvailable();
/** Each step runs several axe scans of a second or two: more on a loaded 2-core machine. */
const STEP_TIMEOUT = 150_000;

const SECRETARY = 'secretaire@communes.example';
const SUPPORT_TEAM = 'assistance@socle.example';

/** Unique per run (the demo copy is shared by the run's files). */
const RUN = String(Date.now()).slice(-8);
const SUBJECT = `Imprimante de l’accueil hors réseau ${RUN}`;
/** Desk: a duplicate the secretary opens, merged by the team into SUBJECT's ticket. */
const DUPLICATE = `Doublon imprimante ${RUN}`;
const PNG = Buffer.concat([
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  Buffer.from('capture'),
]);

describe.skipIf(!hasBrowser)(
  'support desk: a secretary opens a request, the support team answers it, the secretary closes it and joins a full training session’s waiting list, with accessibility scans',
  () => {
    let platform: Platform;
    const contexts = new Map<string, BrowserContext>();
    const pageErrors: string[] = [];

    beforeAll(async () => {
      platform = await startPlatform();
    });
    afterAll(async () => {
      for (const context of contexts.values()) await context.close();
      await platform?.close();
    });

    /** A new tab for a person, signed in once for the whole journey. */
    async function pageAs(email: string): Promise<Page> {
      let context = contexts.get(email);
      const first = !context;
      if (!context) {
        context = await platform.browser.newContext({ locale: 'fr-FR', timezoneId: 'Europe/Paris' });
        contexts.set(email, context);
      }
      const p = await context.newPage();
      p.on('pageerror', (e) => pageErrors.push(e.message));
      if (first) await signInAs(p, platform.baseUrl, email);
      else {
        await p.goto(`${platform.baseUrl}/`);
        await p.getByRole('heading', { level: 1 }).waitFor();
      }
      return p;
    }
    const h1 = (p: Page, name: string | RegExp) => p.getByRole('heading', { level: 1, name }).waitFor();
    const menu = (p: Page) => p.getByRole('navigation', { name: 'Menu principal' });

    it(
      'lets the secretary open a request (refused in French when incomplete)',
      async () => {
        const page = await pageAs(SECRETARY);
        await menu(page).getByRole('link', { name: 'Assistance' }).click();
        await h1(page, /^Assistance : /);
        await page.getByText('Chargement des demandes…').waitFor({ state: 'detached' });
        await expectAccessible(page, 'demandes d’assistance');

        await page.getByRole('link', { name: 'Nouvelle demande' }).click();
        await h1(page, 'Nouvelle demande d’assistance');
        await page.getByRole('button', { name: 'Envoyer la demande' }).click();
        const summary = page.getByRole('alert');
        await summary.getByText(/L'objet compte au moins 3 caractères/).waitFor();
        await expectAccessible(page, 'demande refusée');

        // While the subject is typed, articles that may answer it are suggested.
        await page.getByLabel('Objet').fill('mot de passe messagerie');
        await page
          .getByRole('region', { name: 'Ces articles répondent peut-être à votre question' })
          .getByRole('link', { name: /Réinitialiser son mot de passe de messagerie/ })
          .waitFor();
        await page.getByLabel('Objet').fill(SUBJECT);
        await page.getByLabel('Type de demande').selectOption('incident');
        await page.getByLabel('Urgence').selectOption('high');
        await page.getByLabel('Personnes touchées').selectOption('medium');
        await page
          .getByLabel('Description')
          .fill('L’imprimante ne répond plus depuis la coupure de courant.');
        await page
          .getByLabel('Pièces jointes (facultatif)')
          .setInputFiles({ name: 'ecran-imprimante.png', mimeType: 'image/png', buffer: PNG });
        await page.getByRole('button', { name: 'Envoyer la demande' }).click();
        await h1(page, new RegExp(`^T-\\d{6} — ${SUBJECT}$`));
        await page
          .getByRole('list', { name: 'Pièces jointes' })
          .getByRole('link', { name: 'ecran-imprimante.png' })
          .waitFor();
        await page.getByText('Haute').first().waitFor();
        await page
          .getByText(/attendue avant le/)
          .first()
          .waitFor();
        await expectAccessible(page, 'fil de la demande');

        // The same problem sent again by mistake: the team will merge it.
        await page.goto(`${platform.baseUrl}/espace/assistance/nouveau`);
        await h1(page, 'Nouvelle demande d’assistance');
        await page.getByLabel('Objet').fill(DUPLICATE);
        await page.getByLabel('Description').fill('Toujours pas d’impression à l’accueil.');
        await page.getByRole('button', { name: 'Envoyer la demande' }).click();
        await h1(page, new RegExp(DUPLICATE));
        await page.close();
      },
      STEP_TIMEOUT,
    );

    it(
      'lets the support team find it in the queue, note internally, answer and resolve',
      async () => {
        const page = await pageAs(SUPPORT_TEAM);
        await menu(page).getByRole('link', { name: 'Assistance' }).click();
        await h1(page, 'Assistance : file des tickets');
        await page.getByText('Chargement de la file…').waitFor({ state: 'detached' });
        await page.getByLabel('Attribution', { exact: true }).selectOption('none');
        await page.getByLabel('Tri', { exact: true }).selectOption('recent');
        const queue = page.getByRole('table', { name: 'File de l’assistance' });
        await queue.getByRole('link', { name: new RegExp(SUBJECT) }).waitFor();
        await expectAccessible(page, 'file de l’assistance');

        // The duplicate first: merged into the request kept, the page goes there.
        await queue.getByRole('link', { name: new RegExp(DUPLICATE) }).click();
        await h1(page, new RegExp(DUPLICATE));
        const keep = page.getByLabel('Ticket à conserver');
        await keep.locator('option', { hasText: SUBJECT }).waitFor({ state: 'attached' });
        await keep.selectOption({
          label: defined(await keep.locator('option', { hasText: SUBJECT }).textContent(), 'option'),
        });
        await expectAccessible(page, 'fusion d’un doublon');
        await page.getByRole('button', { name: 'Fusionner dans ce ticket' }).click();
        await h1(page, new RegExp(SUBJECT));
        await page.getByText(/^Fusionné depuis T-\d{6}$/).waitFor();
        await page.getByText('Toujours pas d’impression à l’accueil.', { exact: false }).waitFor();
        await page.getByRole('link', { name: 'ecran-imprimante.png' }).waitFor();
        await page.getByRole('button', { name: 'Me l’attribuer' }).click();
        await page.getByRole('button', { name: 'Libérer le ticket' }).waitFor();

        await page
          .getByLabel('Message', { exact: true })
          .fill(`Note interne ${RUN} : vérifier le commutateur de l’accueil.`);
        await page.getByLabel('Note interne', { exact: true }).check();
        await page.getByRole('button', { name: 'Enregistrer le message' }).click();
        await page.getByText(`Note interne ${RUN}`).waitFor();

        await page
          .getByLabel('Message', { exact: true })
          .fill('Le commutateur a été redémarré : pouvez-vous réessayer ?');
        await page.getByRole('button', { name: 'Enregistrer le message' }).click();
        await page.getByText('Le commutateur a été redémarré').waitFor();
        await expectAccessible(page, 'ticket en cours de traitement');

        await page
          .getByLabel('Résolution', { exact: true })
          .fill('Commutateur redémarré, imprimante de nouveau joignable.');
        await page.getByRole('button', { name: 'Marquer comme résolu' }).click();
        await page.getByText('Résolu, à confirmer').first().waitFor();
        await page.close();
      },
      STEP_TIMEOUT,
    );

    it(
      'shows the secretary the answer (never the internal note) and lets her close it with her satisfaction',
      async () => {
        const page = await pageAs(SECRETARY);
        await menu(page).getByRole('link', { name: 'Assistance' }).click();
        await h1(page, /^Assistance : /);
        await page.getByRole('link', { name: new RegExp(SUBJECT) }).click();
        await h1(page, new RegExp(SUBJECT));
        await page.getByText('Le commutateur a été redémarré').waitFor();
        expect(await page.getByText(`Note interne ${RUN}`).count()).toBe(0);
        await page.getByRole('heading', { level: 2, name: 'La solution vous convient-elle ?' }).waitFor();
        await expectAccessible(page, 'demande résolue');

        await page.getByLabel('Votre satisfaction').selectOption('5');
        await page.getByRole('button', { name: 'Confirmer et clore la demande' }).click();
        await page.getByText('Clos').first().waitFor();
        await page.getByText('5 sur 5').waitFor();

        // The public training calendar: a full session takes her on its waiting list.
        await menu(page).getByRole('link', { name: 'Formations' }).click();
        await h1(page, 'Formations des agents et des élus');
        const calendar = page.getByRole('table', { name: 'Sessions de formation à venir' });
        await calendar.waitFor();
        await expectAccessible(page, 'calendrier des formations');
        await calendar.getByRole('row').filter({ hasText: 'Complet' }).first().getByRole('link').click();
        await page.getByRole('heading', { level: 2, name: /^Inscrire une personne de / }).waitFor();
        await page.getByLabel('Adresse électronique').fill(`secretaire-${RUN}@communes.example`);
        await page.getByRole('button', { name: 'S’inscrire sur la liste d’attente' }).click();
        await page.getByText("Sur liste d'attente").waitFor();
        await expectAccessible(page, 'inscription en liste d’attente');

        // The knowledge base: searched without accents, an article and its « did this answer? ».
        await menu(page).getByRole('link', { name: 'Aide' }).click();
        await h1(page, 'Aide : base de connaissances');
        await page.getByLabel('Rechercher un article').fill('SAUVEGARDE restaurer');
        await page.getByRole('button', { name: 'Rechercher' }).click();
        await page.getByRole('link', { name: 'Restaurer un fichier supprimé' }).click();
        await h1(page, 'Restaurer un fichier supprimé');
        await page.getByRole('button', { name: 'Oui' }).click();
        await page.getByRole('status').getByText('Merci pour votre réponse.').first().waitFor();
        await expectAccessible(page, 'article de la base de connaissances');
        expect(pageErrors).toEqual([]);
        await page.close();
      },
      STEP_TIMEOUT,
    );
  },
);
