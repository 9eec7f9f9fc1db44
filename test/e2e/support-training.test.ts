import { desc, like } from 'drizzle-orm';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { outboxMails } from '../../src/server/platform/db/schema.js';
import { browserAvailable, expectAccessible, type Platform, signInAs, startPlatform } from './support.js';

const hasBrowser = browserAvailable();
/** Each step runs several axe scans of a second or two: more on a loaded 2-core machine. */
const STEP_TIMEOUT = 180_000;

const SUPPORT_TEAM = 'assistance@socle.example';
const SECRETARY = 'secretaire@communes.example';
/** Unique per run (the demo copy is shared by the run's files). */
const RUN = String(Date.now()).slice(-8);
const TITLE = `Atelier messagerie ${RUN}`;

/** `YYYY-MM-DDTHH:MM`, `days` from today, as a datetime-local field takes it. */
const localIn = (days: number, hour: number) => {
  const d = new Date(Date.now() + days * 86_400_000);
  return `${d.toISOString().slice(0, 10)}T${String(hour).padStart(2, '0')}:00`;
};

describe.skipIf(!hasBrowser)(
  'training follow-up: the support team schedules and edits a session, records a past session’s attendance, the attendee answers the survey and downloads her certificate, the team reads the reports and edits articles and service levels, with accessibility scans',
  () => {
    let platform: Platform;
    const contexts = new Map<string, BrowserContext>();
    const pageErrors: string[] = [];
    let surveyUrl = '';

    beforeAll(async () => {
      platform = await startPlatform();
    });
    afterAll(async () => {
      for (const context of contexts.values()) await context.close();
      await platform?.close();
    });

    /** A new tab for a person (null: a visitor), signed in once for the whole journey. */
    async function pageAs(email: string | null): Promise<Page> {
      const key = email ?? 'visitor';
      let context = contexts.get(key);
      const first = !context;
      if (!context) {
        context = await platform.browser.newContext({ locale: 'fr-FR', timezoneId: 'Europe/Paris' });
        contexts.set(key, context);
      }
      const p = await context.newPage();
      p.on('pageerror', (e) => pageErrors.push(e.message));
      if (email && first) await signInAs(p, platform.baseUrl, email);
      else if (email) {
        await p.goto(`${platform.baseUrl}/`);
        await p.getByRole('heading', { level: 1 }).waitFor();
      }
      return p;
    }
    const h1 = (p: Page, name: string | RegExp) => p.getByRole('heading', { level: 1, name }).waitFor();
    const teamNav = (p: Page) => p.getByRole('navigation', { name: 'Pages de l’assistance' });
    const status = (p: Page, text: string) => p.getByRole('status').getByText(text).first().waitFor();

    it(
      'lets the support team schedule a session (refused in French when incomplete) and edit it',
      async () => {
        const page = await pageAs(SUPPORT_TEAM);
        await page
          .getByRole('navigation', { name: 'Menu principal' })
          .getByRole('link', { name: 'Assistance' })
          .click();
        await h1(page, 'Assistance : file des tickets');
        await teamNav(page).getByRole('link', { name: 'Formations' }).click();
        await h1(page, 'Formations : sessions');
        await page.getByRole('table', { name: 'Sessions à venir' }).waitFor();
        await expectAccessible(page, 'sessions de formation (équipe)');

        await page.getByRole('link', { name: 'Programmer une session' }).click();
        await h1(page, 'Programmer une session de formation');
        await page.getByRole('button', { name: 'Programmer la session' }).click();
        await page
          .getByRole('alert')
          .getByText(/Le début est obligatoire/)
          .waitFor();
        await expectAccessible(page, 'session refusée');

        await page.getByLabel('Titre', { exact: true }).fill(TITLE);
        await page.getByLabel('Début', { exact: true }).fill(localIn(40, 9));
        await page.getByLabel('Fin', { exact: true }).fill(localIn(40, 12));
        await page.getByLabel('Lieu', { exact: true }).fill('À distance');
        await page.getByLabel('À distance (classe virtuelle)').check();
        await page.getByLabel('Places', { exact: true }).fill('8');
        await page.getByLabel('Formateur ou formatrice').fill('Anne Chiron');
        // Tied to a catalogue service, which the edit form shows again.
        const service = page.getByLabel('Service du catalogue');
        await service.locator('option').nth(1).waitFor({ state: 'attached' });
        const serviceId = (await service.locator('option').nth(1).getAttribute('value')) ?? '';
        await service.selectOption(serviceId);
        await page.getByRole('button', { name: 'Programmer la session' }).click();
        await h1(page, TITLE);
        await page.getByText('0 sur 8 places').waitFor();
        await page.getByText('Les présences se saisissent à partir du début de la session.').waitFor();

        await page.getByLabel('Places', { exact: true }).fill('20');
        await page.getByRole('button', { name: 'Enregistrer la session' }).click();
        await status(page, 'Session enregistrée.');
        await page.getByText('0 sur 20 places').waitFor();
        expect(await page.getByLabel('Service du catalogue').inputValue()).toBe(serviceId);
        // The edit sent every field: what it did not change is kept.
        expect(await page.getByLabel('Formateur ou formatrice').inputValue()).toBe('Anne Chiron');
        expect(await page.getByLabel('À distance (classe virtuelle)').isChecked()).toBe(true);
        await expectAccessible(page, 'session programmée');
        await page.close();
      },
      STEP_TIMEOUT,
    );

    it(
      'lets the support team record the attendance of the session held two days ago',
      async () => {
        const page = await pageAs(SUPPORT_TEAM);
        await page.goto(`${platform.baseUrl}/operateur/formations`);
        await h1(page, 'Formations : sessions');
        await page.getByLabel('Sessions', { exact: true }).selectOption('past');
        const past = page.getByRole('table', { name: 'Sessions passées' });
        await past.waitFor();
        await past.getByRole('row').filter({ hasText: 'À saisir' }).first().getByRole('link').click();
        const attendance = page.getByRole('group', { name: 'Cochez les personnes présentes' });
        await attendance.waitFor();
        await expectAccessible(page, 'session passée, présences à saisir');
        await attendance.getByRole('checkbox').nth(0).check();
        await attendance.getByRole('checkbox').nth(1).check();
        await page.getByRole('button', { name: 'Enregistrer les présences' }).click();
        await status(page, 'Présences enregistrées : les présents reçoivent questionnaire et attestation.');
        const registered = page.getByRole('table', { name: 'Personnes inscrites' });
        await registered.getByText('Présent(e)').first().waitFor();
        expect(await registered.getByText('Présent(e)').count()).toBe(2);
        await page.getByText(/^0 réponse sur 2 personnes interrogées/).waitFor();
        await expectAccessible(page, 'présences saisies');

        // The attendees' mail holds their personal link.
        const [mail] = await platform.database.db
          .select({ body: outboxMails.textBody })
          .from(outboxMails)
          .where(like(outboxMails.textBody, `%${platform.baseUrl}/formations/avis/%`))
          .orderBy(desc(outboxMails.createdAt))
          .limit(1);
        surveyUrl = /(http\S+\/formations\/avis\/[\w-]+)/.exec(mail?.body ?? '')?.[1] ?? '';
        expect(surveyUrl).not.toBe('');
        await page.close();
      },
      STEP_TIMEOUT,
    );

    it(
      'lets the attendee answer the survey once through her link and download her certificate',
      async () => {
        const page = await pageAs(null);
        await page.goto(surveyUrl);
        await h1(page, /^Votre avis sur la formation « /);
        await page.getByRole('button', { name: 'Envoyer mon avis' }).click();
        await page
          .getByRole('alert')
          .getByText(/Donnez une note globale de 1 à 5/)
          .waitFor();
        await expectAccessible(page, 'questionnaire incomplet');

        await page.getByLabel('4 — Satisfait').check();
        await page.getByLabel('Très utile').check();
        await page.getByLabel('Un commentaire, une suggestion ? (facultatif)').fill(`Très clair ${RUN}.`);
        await page.getByRole('button', { name: 'Envoyer mon avis' }).click();
        await page.getByText('Merci pour votre avis').waitFor();
        await expectAccessible(page, 'questionnaire répondu');

        const href = await page
          .getByRole('link', { name: 'Télécharger votre attestation de présence (PDF)' })
          .getAttribute('href');
        const pdf = await page.request.get(`${platform.baseUrl}${href}`);
        expect(pdf.status()).toBe(200);
        expect(pdf.headers()['content-type']).toBe('application/pdf');
        await page.close();
      },
      STEP_TIMEOUT,
    );

    it(
      'shows the team the answer and the reports, and lets it edit articles and service levels',
      async () => {
        const page = await pageAs(SUPPORT_TEAM);
        await page.goto(`${platform.baseUrl}/operateur/formations`);
        await h1(page, 'Formations : sessions');
        await page.getByRole('link', { name: 'Bilan des formations' }).click();
        await h1(page, 'Bilan des formations');
        await page.getByRole('table', { name: 'Remplissage et présence par session' }).waitFor();
        await page.getByRole('table', { name: 'Listes d’attente par formation et département' }).waitFor();
        await expectAccessible(page, 'bilan des formations');
        const link = page
          .getByRole('table', { name: 'Remplissage et présence par session' })
          .getByRole('link');
        expect(await link.count()).toBeGreaterThan(5);

        await teamNav(page).getByRole('link', { name: 'Base de connaissances' }).click();
        await h1(page, 'Base de connaissances : articles');
        await page.getByRole('table', { name: 'Articles de la base de connaissances' }).waitFor();
        await expectAccessible(page, 'articles (équipe)');
        await page.getByRole('link', { name: 'Écrire un article' }).click();
        await h1(page, 'Écrire un article');
        await page.getByLabel('Titre', { exact: true }).fill(`Paramétrer l’imprimante ${RUN}`);
        await page.getByLabel('Texte', { exact: true }).fill('Ouvrez **Paramètres**, puis *Imprimantes*.');
        await page.getByRole('button', { name: 'Publier l’article' }).click();
        await h1(page, `Modifier : Paramétrer l’imprimante ${RUN}`);
        await page.getByLabel('Visibilité').selectOption('members');
        await page.getByRole('button', { name: 'Enregistrer l’article' }).click();
        await status(page, 'Article enregistré.');
        await expectAccessible(page, 'article en modification');
        await page.getByRole('button', { name: 'Supprimer l’article' }).click();
        const dialog = page.getByRole('dialog', { name: 'Supprimer cet article ?' });
        await dialog.waitFor();
        await expectAccessible(page, 'suppression d’un article');
        await dialog.getByRole('button', { name: 'Supprimer définitivement' }).click();
        await h1(page, 'Base de connaissances : articles');

        await teamNav(page).getByRole('link', { name: 'Niveaux de service' }).click();
        await h1(page, 'Niveaux de service de l’assistance');
        await page.getByRole('table', { name: 'Niveaux de service en vigueur (heures ouvrées)' }).waitFor();
        const service = page.getByLabel('Service', { exact: true });
        const first = await service.locator('option').nth(1).getAttribute('value');
        await service.selectOption(first ?? '');
        const critical = page.getByLabel('Première réponse, priorité critique (heures ouvrées)');
        await critical.fill('0,5');
        await page.getByLabel('Résolution, priorité critique (heures ouvrées)').fill('0,25');
        await page.getByRole('button', { name: 'Enregistrer les niveaux de service' }).click();
        await page
          .getByRole('alert')
          .getByText(/la résolution ne peut être plus rapide que la première réponse/)
          .waitFor();
        await expectAccessible(page, 'niveaux de service refusés');
        await page.getByLabel('Résolution, priorité critique (heures ouvrées)').fill('4');
        await page.getByRole('button', { name: 'Enregistrer les niveaux de service' }).click();
        await status(page, 'Niveaux de service enregistrés.');
        await page.getByRole('cell', { name: '0,5 h' }).first().waitFor();
        await expectAccessible(page, 'niveaux de service');
        await page.close();
      },
      STEP_TIMEOUT,
    );

    it(
      'lists the secretary’s structure’s registrations with their certificates',
      async () => {
        const page = await pageAs(SECRETARY);
        await page.goto(`${platform.baseUrl}/formations`);
        await h1(page, 'Formations des agents et des élus');
        await page.getByRole('link', { name: 'Les inscriptions et attestations de ma structure' }).click();
        await h1(page, 'Formations de ma structure');
        await page.getByText('Chargement des inscriptions…').waitFor({ state: 'detached' });
        await expectAccessible(page, 'formations de ma structure');
        expect(pageErrors).toEqual([]);
        await page.close();
      },
      STEP_TIMEOUT,
    );
  },
);
