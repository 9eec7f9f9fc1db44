import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Page } from 'playwright-core';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OPEN_DATASETS } from '../../src/contracts/opendata.js';
import {
  browserAvailable,
  expectAccessible,
  memberIdOfCommune,
  type Platform,
  signInAs,
  startPlatform,
} from './support.js';

const hasBrowser = browserAvailable();
const STEP_TIMEOUT = 150_000;
const LA_ROCHE = 'mairie@larochesuryon.example';

/** The other software: a local receiver recording what Socle sends it. */
const received: { headers: Record<string, string>; body: string }[] = [];
const receiver = http.createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    received.push({
      headers: Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, String(v)])),
      body: Buffer.concat(chunks).toString('utf8'),
    });
    res.writeHead(204).end();
  });
});

describe.skipIf(!hasBrowser)(
  'webhooks: a member admin registers a webhook and sees its signed delivery',
  () => {
    let platform: Platform;
    let page: Page;
    let receiverUrl = '';
    let laRocheId = '';

    beforeAll(async () => {
      await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
      receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/socle`;
      platform = await startPlatform();
      laRocheId = await memberIdOfCommune(platform, '85191');
      page = await (await platform.browser.newContext({ locale: 'fr-FR' })).newPage();
    });
    afterAll(async () => {
      await platform?.close();
      await new Promise((resolve) => receiver.close(resolve));
    });

    it(
      'creates a webhook, a change of the member is delivered signed, the log shows it; open data is listed',
      async () => {
        await signInAs(page, platform.baseUrl, LA_ROCHE);
        await page.getByRole('link', { name: 'Webhooks', exact: true }).click();
        await page.getByRole('heading', { level: 1, name: 'Webhooks' }).waitFor();
        await expectAccessible(page, 'webhooks (vide)');

        await page.getByLabel('Adresse du point de réception').fill(receiverUrl);
        await page.getByLabel('Fiche de la structure modifiée').check();
        await page.getByRole('button', { name: 'Enregistrer le webhook' }).click();
        const secret = (await page.locator('.alert code').first().textContent()) ?? '';
        expect(secret).toMatch(/^whsec_/);

        // The member's admin changes the structure's record (as its own page would): an event.
        const status = await page.evaluate(async (memberId) => {
          const me = await (await fetch('/api/v1/me')).json();
          const response = await fetch(`/api/v1/members/${memberId}`, {
            method: 'PATCH',
            headers: { 'content-type': 'application/json', 'x-csrf-token': me.csrfToken },
            body: JSON.stringify({ address: `Place Napoléon, bureau ${Date.now() % 1000}` }),
          });
          return response.status;
        }, laRocheId);
        expect(status).toBe(200);

        const log = page.getByRole('table', { name: 'Journal des livraisons' });
        await log.getByText('Livrée').waitFor({ timeout: 20_000 });
        await expect(log.getByText('HTTP 204').count()).resolves.toBe(1);
        const delivery = received.at(-1);
        expect(delivery).toBeDefined();
        const payload = new Webhook(secret).verify(delivery?.body ?? '', delivery?.headers ?? {}) as {
          type: string;
          data: { memberId: string };
        };
        expect(payload).toMatchObject({ type: 'member.updated', data: { memberId: laRocheId } });
        await expectAccessible(page, 'webhooks (livraison)');

        await page.getByRole('link', { name: 'Données ouvertes' }).click();
        await page.getByRole('heading', { level: 2, name: 'Structures adhérentes' }).waitFor();
        await expect(page.getByRole('link', { name: /au format CSV/ }).count()).resolves.toBe(
          OPEN_DATASETS.length,
        );
        await expectAccessible(page, 'données ouvertes');
      },
      STEP_TIMEOUT,
    );

    it(
      "lets the operator's admin register a webhook told of every member's events",
      async () => {
        const admin = await (await platform.browser.newContext({ locale: 'fr-FR' })).newPage();
        await signInAs(admin, platform.baseUrl, 'admin@socle.example');
        await admin.getByRole('link', { name: 'Webhooks', exact: true }).click();
        await admin.getByRole('heading', { level: 1, name: 'Webhooks' }).waitFor();
        await admin.getByText('Aucun webhook pour l').waitFor();
        await admin.getByLabel('Adresse du point de réception').fill(receiverUrl);
        await admin.getByLabel('Fiche de la structure modifiée').check();
        await admin.getByRole('button', { name: 'Enregistrer le webhook' }).click();
        await expect(admin.locator('.alert code').first().textContent()).resolves.toMatch(/^whsec_/);
        await admin
          .getByRole('table', { name: "Webhooks de l'opérateur" })
          .getByRole('rowheader', { name: receiverUrl })
          .waitFor();
        await expectAccessible(admin, "webhooks de l'opérateur");
        await admin.context().close();
      },
      STEP_TIMEOUT,
    );
  },
);
