import { desc, eq, like } from 'drizzle-orm';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { governanceSessions, organisations, outboxMails } from '../../src/server/platform/db/schema.js';
import { browserAvailable, expectAccessible, type Platform, signInAs, startPlatform } from './support.js';

const hasBrowser = browserAvailable();
/** Each step runs several axe scans of a second or two: up to 80 s on a loaded 2-core machine. */
const STEP_TIMEOUT = 150_000;

/** The operator's secretary of the assemblies: in the demo, the operator's admin holds the sittings. */
const SECRETARY = 'admin@socle.example';
/** The demo's elected official: chair of the comité syndical and the bureau, with no agent role. */
const OFFICIAL = 'elu@socle.example';

const paris = new Intl.DateTimeFormat('en-CA', {
  timeZone: 'Europe/Paris',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
});

/**
 * A `datetime-local` value, Paris wall time, `minutes` from now. Items are voted on the session's day
 * and convocations sent before it starts: an urgent session later today (a run in the last half hour
 * before midnight in Paris would put it tomorrow, and its vote would be refused).
 */
function parisLocalIn(minutes: number): string {
  const parts = Object.fromEntries(
    paris.formatToParts(new Date(Date.now() + minutes * 60_000)).map((p) => [p.type, p.value]),
  );
  return `${parts.year}-${parts.month}-${parts.day}T${parts.hour}:${parts.minute}`;
}

describe.skipIf(!hasBrowser)(
  'governance: the secretary convenes the comité syndical, which accepts a membership, with accessibility scans',
  () => {
    let platform: Platform;
    let context: BrowserContext;
    let page: Page;
    let acceptedId = '';
    /**
     * The demo comité's closed session whose procès-verbal is not adopted yet (the last one: the demo
     * adopted and published the earlier ones), which the urgent session adopts.
     */
    let minutesSessionId = '';
    const pageErrors: string[] = [];

    beforeAll(async () => {
      platform = await startPlatform();
    });
    afterAll(async () => {
      await platform?.close();
    });

    async function newPage(viewport?: { width: number; height: number }): Promise<Page> {
      context = await platform.browser.newContext({ locale: 'fr-FR', timezoneId: 'Europe/Paris', viewport });
      const p = await context.newPage();
      p.on('pageerror', (e) => pageErrors.push(e.message));
      return p;
    }

    const h1 = (p: Page, name: string | RegExp) => p.getByRole('heading', { level: 1, name }).waitFor();
    const mainNav = (p: Page) => p.getByRole('navigation', { name: 'Menu principal' });

    it(
      'lets the secretary convene an urgent session of the comité with an item accepting a membership',
      async () => {
        page = await newPage();
        await signInAs(page, platform.baseUrl, SECRETARY);
        await mainNav(page).getByRole('link', { name: 'Assemblées', exact: true }).click();
        await h1(page, 'Assemblées du syndicat');
        const list = page.getByRole('table', { name: 'Assemblées' });
        await list.waitFor();
        await expectAccessible(page, 'assemblées du syndicat');

        await list.getByRole('link', { name: /^Comité syndical/ }).click();
        await h1(page, /^Comité syndical/);
        await page.getByRole('heading', { level: 2, name: 'Sièges' }).waitFor();
        await page
          .getByText(/Chargement des séances/)
          .first()
          .waitFor({ state: 'detached' });
        await expectAccessible(page, 'page du comité syndical');

        await page.getByRole('link', { name: 'Nouvelle séance' }).click();
        await h1(page, /^Nouvelle séance : Comité syndical/);
        await expectAccessible(page, 'nouvelle séance');

        // Refused in French, field by field, before anything is sent.
        await page.getByRole('button', { name: 'Créer la séance' }).click();
        const summary = page.getByRole('alert').filter({ hasText: "l'enregistrement" });
        await summary.getByText(/Indiquez la date et l’heure de la séance/).waitFor();
        await summary.getByText(/Le lieu est obligatoire/).waitFor();
        await summary.getByText(/L'intitulé est obligatoire/).waitFor();
        await expectAccessible(page, 'nouvelle séance refusée');

        await page.getByLabel('Date et heure').fill(parisLocalIn(30));
        await page.getByLabel('Lieu', { exact: true }).fill('Salle du comité, siège du syndicat');
        await page.getByLabel('Séance urgente').check();
        await page.getByText(/^À convoquer au plus tard le .*1 jour franc, urgence/).waitFor();
        await page
          .getByLabel("Motif de l'urgence")
          .fill(
            "L'adhésion doit être acceptée avant la fin de l'exercice pour ouvrir les services au 1er janvier.",
          );
        await page.getByLabel('Intitulé').fill("Demande d'adhésion au syndicat");
        await page
          .getByLabel('Note explicative de synthèse')
          .fill(
            'La structure a délibéré pour adhérer au syndicat ; le comité syndical se prononce sur sa demande.',
          );
        await page.getByLabel('Décision liée').selectOption('accept_membership');
        const member = page.getByLabel('Structure concernée');
        await expect.poll(() => member.locator('option').count(), { timeout: 20_000 }).toBeGreaterThan(1);
        acceptedId = (await member.locator('option').nth(1).getAttribute('value')) ?? '';
        await member.selectOption(acceptedId);
        // A second item adopts the procès-verbal of an earlier closed session of the comité.
        await page.getByRole('button', { name: "Ajouter un point à l'ordre du jour" }).click();
        await page.getByLabel('Intitulé').nth(1).fill('Approbation du procès-verbal');
        await page.getByLabel('Décision liée').nth(1).selectOption('adopt_minutes');
        const earlier = page.getByLabel('Séance dont le procès-verbal est adopté');
        minutesSessionId = (await earlier.locator('option').last().getAttribute('value')) ?? '';
        await earlier.selectOption(minutesSessionId);
        await expectAccessible(page, 'nouvelle séance remplie');
        await page.getByRole('button', { name: 'Créer la séance' }).click();

        await h1(page, /^Séance du .* : Comité syndical/);
        const quorum = page.getByRole('status').filter({ hasText: /^Quorum/ });
        await quorum.getByText(/^Quorum non atteint : 0\sprésent sur \d+ requis/).waitFor();
        await expectAccessible(page, 'séance en préparation');

        await page.getByRole('button', { name: /^Envoyer les convocations/ }).click();
        await page.getByText(/convocations? envoyées? par courriel/).waitFor();
        const convocations = page.getByRole('table', { name: 'Convocation de chaque élu' });
        // The mails leave through the job queue; the page follows until each convocation is sent.
        await convocations
          .getByRole('row')
          .filter({ hasText: /\d{2}:\d{2}/ })
          .first()
          .waitFor({ timeout: 90_000 });
        await expect(
          page.getByRole('link', { name: 'Convocations à imprimer (PDF)' }).getAttribute('href'),
        ).resolves.toMatch(/\/convocations\.pdf$/);
        await expectAccessible(page, 'convocations envoyées');
        await context.close();

        // A recipient opens the personal link of their mail, without signing in, and acknowledges it.
        const [mail] = await platform.database.db
          .select({ body: outboxMails.textBody })
          .from(outboxMails)
          .where(like(outboxMails.textBody, `%${platform.baseUrl}/convocation?jeton=%`))
          .orderBy(desc(outboxMails.createdAt))
          .limit(1);
        const link = /https?:\/\/\S+\/convocation\?jeton=[\w-]+/.exec(mail?.body ?? '')?.[0];
        expect(link, 'a convocation mail with its personal link').toBeDefined();
        page = await newPage();
        await page.goto(link ?? '');
        await h1(page, 'Convocation');
        await page.getByRole('heading', { level: 2, name: 'Ordre du jour' }).waitFor();
        await page.getByText("Demande d'adhésion au syndicat").waitFor();
        await expectAccessible(page, 'convocation ouverte par son lien');
        await page.getByRole('button', { name: 'Confirmer la réception' }).click();
        await page.getByText('Réception de la convocation confirmée. Merci.').waitFor();
        await expectAccessible(page, 'réception confirmée');
        await context.close();
      },
      STEP_TIMEOUT,
    );

    it(
      'records attendance until the quorum is reached, votes the item, and the structure becomes adherent',
      async () => {
        page = await newPage();
        await signInAs(page, platform.baseUrl, SECRETARY);
        await page.goto(`${platform.baseUrl}/operateur/assemblees`);
        await page
          .getByRole('table', { name: 'Assemblées' })
          .getByRole('link', { name: /^Comité syndical/ })
          .click();
        await page
          .getByRole('table', { name: 'Séances à venir' })
          .getByRole('link', { name: /\(urgente\)/ })
          .first()
          .click();
        await h1(page, /^Séance du .* : Comité syndical/);
        const quorum = page.getByRole('status').filter({ hasText: /^Quorum/ });
        await quorum.getByText(/^Quorum non atteint/).waitFor();

        // One absent, one excused, one present holding the proxy of a fourth.
        const attendance = page.getByRole('table', { name: 'Présence de chaque élu' });
        // Titulars only: they make the quorum (a substitute counts only when sitting for their titular).
        const rows = attendance.getByRole('row').filter({ hasText: 'Titulaire' });
        const nameOf = async (n: number) =>
          ((await rows.nth(n).getByRole('rowheader').textContent()) ?? '').trim();
        const holder = await nameOf(2);
        await attendance.getByLabel(`Présence de ${await nameOf(0)}`, { exact: true }).selectOption('absent');
        await attendance
          .getByLabel(`Présence de ${await nameOf(1)}`, { exact: true })
          .selectOption('excused');
        await attendance.getByLabel(`Présence de ${holder}`, { exact: true }).selectOption('present');
        await quorum.getByText(/^Quorum non atteint : 1\sprésent sur/).waitFor();
        const represented = await nameOf(3);
        await attendance
          .getByLabel(`Présence de ${represented}`, { exact: true })
          .selectOption('represented');
        await attendance
          .getByLabel(`Pouvoir de ${represented} donné à`, { exact: true })
          .selectOption({ label: holder });
        // A proxy does not count in the quorum.
        await quorum.getByText(/^Quorum non atteint : 1\sprésent sur/).waitFor();
        await expectAccessible(page, 'présences en cours');

        await page.getByRole('button', { name: /^Marquer présents les/ }).click();
        const reached = quorum.getByText(/^Quorum atteint : \d+\sprésents sur \d+ requis$/);
        await reached.waitFor();
        const present = Number(/(\d+)\sprésents/.exec((await reached.textContent()) ?? '')?.[1]);
        await expectAccessible(page, 'quorum atteint');
        // Those present and the one represented vote: all for but one against and two abstentions.
        const voters = present + 1;
        const votesFor = voters - 3;

        const item = page.getByRole('article', { name: /Demande d'adhésion au syndicat/ });
        const form = item.getByRole('form', { name: 'Vote du point n° 1' });
        await form.getByLabel('Pour', { exact: true }).fill(String(votesFor));
        await form.getByLabel('Contre', { exact: true }).fill('1');
        await form.getByLabel('Abstentions').fill('2');
        await form.getByRole('button', { name: 'Enregistrer le vote du point n° 1' }).click();
        await item
          .getByText(
            new RegExp(
              `^Adopté le .* : ${votesFor}\\svoix pour, 1\\svoix contre, 2\\sabstentions ; ${votesFor + 1}\\ssuffrages exprimés`,
            ),
          )
          .waitFor();
        await item.getByText(/^Décision exécutée le /).waitFor();
        // The operator's deliberation is numbered at once; transmitted and published through the acts module.
        await item.getByText(/^Délibération n° \S+ \(à transmettre et publier\)$/).waitFor();
        await expectAccessible(page, 'point adopté');

        // The membership accepted by the comité: the structure is now adherent.
        const [accepted] = await platform.database.db
          .select({ name: organisations.name, status: organisations.status })
          .from(organisations)
          .where(eq(organisations.id, acceptedId));
        expect(accepted?.status).toBe('member');
        await page.goto(`${platform.baseUrl}/operateur/adherents/${acceptedId}`);
        await h1(page, accepted?.name ?? '');
        await page.getByText('Adhérent', { exact: true }).first().waitFor();
        await expectAccessible(page, 'fiche de la structure devenue adhérente');
        await context.close();
      },
      STEP_TIMEOUT,
    );

    it(
      'adopts the procès-verbal of an earlier session, closes the sitting, publishes its list and that procès-verbal',
      async () => {
        page = await newPage();
        await signInAs(page, platform.baseUrl, SECRETARY);
        await page.goto(`${platform.baseUrl}/operateur/assemblees`);
        await page
          .getByRole('table', { name: 'Assemblées' })
          .getByRole('link', { name: /^Comité syndical/ })
          .click();
        await page
          .getByRole('table', { name: 'Séances à venir' })
          .getByRole('link', { name: /\(urgente\)/ })
          .first()
          .click();
        await h1(page, /^Séance du .* : Comité syndical/);
        const item = page.getByRole('article', { name: /Approbation du procès-verbal/ });
        const form = item.getByRole('form', { name: 'Vote du point n° 2' });
        await form.getByLabel('Pour', { exact: true }).fill('1');
        await form.getByLabel('Contre', { exact: true }).fill('0');
        await form.getByRole('button', { name: 'Enregistrer le vote du point n° 2' }).click();
        await item.getByText(/^Décision exécutée le .*Adopter le procès-verbal d'une séance/).waitFor();

        // The sitting has begun (it was convened to start half an hour after its creation): closed.
        const sessionId = /\/seances\/([\w-]+)/.exec(page.url())?.[1] ?? '';
        await platform.database.db
          .update(governanceSessions)
          .set({ startsAt: new Date(Date.now() - 60_000) })
          .where(eq(governanceSessions.id, sessionId));
        await page.reload();
        await page.getByRole('button', { name: 'Clore la séance' }).click();
        await page.getByText(/^Séance close le /).waitFor();
        await page.getByRole('button', { name: 'Publier la liste des délibérations' }).click();
        await page.getByText(/^Liste des délibérations publiée le /).waitFor();
        const minutes = page.getByRole('region', { name: 'Procès-verbal' });
        await minutes.getByRole('link', { name: 'Projet de procès-verbal (PDF)' }).waitFor();
        await expectAccessible(page, 'séance close, liste publiée, procès-verbal en projet');

        // The earlier session's procès-verbal, adopted and frozen: published after its list.
        await page.goto(`${platform.baseUrl}/operateur/seances/${minutesSessionId}`);
        await h1(page, /^Séance du .* : Comité syndical/);
        await minutes.getByText('Adopté', { exact: true }).waitFor();
        await minutes.getByRole('link', { name: 'Procès-verbal adopté (PDF)' }).waitFor();
        // The demo published its list two days after the sitting: the procès-verbal follows it.
        await page.getByText(/^Liste des délibérations publiée le /).waitFor();
        await page.getByRole('button', { name: 'Publier le procès-verbal' }).click();
        await minutes.getByRole('link', { name: 'lien public du procès-verbal (PDF)' }).waitFor();
        await expectAccessible(page, 'procès-verbal adopté et publié');

        // The public page of the comité's deliberations: each published list, and the PV to download.
        await page.getByRole('link', { name: 'page publique des délibérations' }).click();
        await h1(page, /^Délibérations publiées : /);
        const downloads = page.getByRole('link', { name: /^télécharger le procès-verbal de la séance du / });
        await downloads.first().waitFor();
        // The demo's past sittings are there too: the tariffs' deliberation, and the two procès-verbaux
        // the demo adopted and published besides the one just published.
        await page
          .getByRole('rowheader', { name: new RegExp(`^Adoption des tarifs ${new Date().getFullYear()}`) })
          .waitFor();
        expect(await downloads.count()).toBeGreaterThanOrEqual(3);
        const href = (await downloads.last().getAttribute('href')) ?? '';
        const pdf = await page.request.get(new URL(href, platform.baseUrl).href);
        expect(pdf.headers()['content-type']).toMatch(/^application\/pdf/);
        await expectAccessible(page, 'délibérations publiées (page publique)');
        await context.close();
      },
      STEP_TIMEOUT,
    );

    it(
      "shows an elected official their space and the operator on one page, on a phone's screen",
      async () => {
        page = await newPage({ width: 375, height: 740 });
        await signInAs(page, platform.baseUrl, OFFICIAL);
        await page.goto(`${platform.baseUrl}/espace/elu`);
        await h1(page, 'Espace élu');
        await page.getByRole('heading', { level: 2, name: 'Mes mandats' }).waitFor();
        await page.getByRole('heading', { level: 2, name: 'Prochaines séances' }).waitFor();
        await page.getByRole('heading', { level: 2, name: 'Délibérations passées' }).waitFor();
        // Nothing wider than the screen.
        await expect(page.evaluate(() => document.documentElement.scrollWidth)).resolves.toBeLessThanOrEqual(
          375,
        );
        await expectAccessible(page, 'espace élu (téléphone)');

        await page.getByRole('link', { name: /^Le syndicat en une page/ }).click();
        await h1(page, 'Le syndicat en une page');
        await page.getByRole('table', { name: 'Adhérents par département et par type' }).waitFor();
        await page.getByRole('table', { name: 'Nombre de structures abonnées à chaque service' }).waitFor();
        await expectAccessible(page, 'le syndicat en une page (téléphone)');
        await context.close();
      },
      STEP_TIMEOUT,
    );

    it(
      "lets a member's admin open the designation of its delegates to the comité syndical",
      async () => {
        page = await newPage();
        await signInAs(page, platform.baseUrl, 'mairie@larochesuryon.example');
        await mainNav(page).getByRole('link', { name: 'Assemblées', exact: true }).click();
        await h1(page, /^Assemblées : La Roche-sur-Yon/);
        await page.getByText(/Chargement des assemblées/).waitFor({ state: 'detached' });
        await expectAccessible(page, 'assemblées de la structure');
        await page.getByRole('link', { name: /Désigner les délégués/ }).click();
        await h1(page, 'Délégués au comité syndical');
        await page.getByRole('button', { name: 'Désigner les délégués' }).waitFor();
        await page.getByRole('button', { name: 'Désigner les délégués' }).click();
        const summary = page.getByRole('alert').filter({ hasText: "l'enregistrement" });
        await summary.getByText(/Indiquez au moins un délégué/).waitFor();
        await expectAccessible(page, 'désignation des délégués refusée');
        await context.close();
      },
      STEP_TIMEOUT,
    );

    it('raised no script error in any page', () => {
      expect(pageErrors).toEqual([]);
    });
  },
);
