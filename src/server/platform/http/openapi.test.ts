import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import openapiTS, { astToString } from 'openapi-typescript';
import ts from 'typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test/app.js';
import { operationIdOf } from './openapi.js';

let t: TestApp;
type Security = Record<string, string[]>[];
let document: {
  components: { securitySchemes: Record<string, { type: string; scheme?: string }> };
  paths: Record<
    string,
    Record<
      string,
      { operationId?: string; security?: Security; responses: Record<string, { content?: object }> }
    >
  >;
};
const METHODS = ['get', 'post', 'put', 'patch', 'delete'];
const operations = () =>
  Object.entries(document.paths).flatMap(([url, item]) =>
    Object.entries(item)
      .filter(([method]) => METHODS.includes(method))
      .map(([method, operation]) => ({ method, url, operation })),
  );

beforeAll(async () => {
  t = await createTestApp();
  document = (await t.app.inject({ method: 'GET', url: '/api/v1/openapi.json' })).json();
});
afterAll(async () => {
  await t.close();
});

describe('the OpenAPI document', () => {
  it('names every operation once, from its method and path', () => {
    expect(operationIdOf('GET', '/api/v1/members/:memberId/inventory.:format')).toBe(
      'getMembersByMemberIdInventoryByFormat',
    );
    expect(
      operationIdOf('POST', '/api/v1/members/:memberId/webhooks/:webhookId/deliveries/:deliveryId/replay'),
    ).toBe('postMembersByMemberIdWebhooksByWebhookIdDeliveriesByDeliveryIdReplay');
    const ids = operations().map(({ operation }) => operation.operationId);
    expect(ids.length).toBeGreaterThan(100);
    expect(ids.filter((id) => typeof id !== 'string' || !/^[a-z][A-Za-z0-9]+$/.test(id))).toEqual([]);
    const seen = new Map<string, number>();
    for (const id of ids) seen.set(String(id), (seen.get(String(id)) ?? 0) + 1);
    expect([...seen].filter(([, n]) => n > 1)).toEqual([]);
  });

  it('documents the problem+json errors of every operation', () => {
    const webhooks = document.paths['/api/v1/members/{memberId}/webhooks']?.post;
    expect(Object.keys(webhooks?.responses ?? {}).sort()).toEqual([
      '201',
      '400',
      '401',
      '403',
      '404',
      '409',
      '422',
    ]);
    expect(webhooks?.responses['403']?.content).toHaveProperty(['application/problem+json']);
    for (const { url, operation } of operations()) {
      const codes = Object.keys(operation.responses);
      expect(
        codes.some((c) => c.startsWith('2')),
        url,
      ).toBe(true);
      // Every operation except the public reads without parameters says how it fails.
      if (url.includes('{') || codes.includes('401'))
        expect(
          codes.some((c) => c.startsWith('4')),
          url,
        ).toBe(true);
    }
  });

  it('declares the bearer scheme on the operations a token may call, and only there', async () => {
    expect(document.components.securitySchemes.bearer).toMatchObject({ type: 'http', scheme: 'bearer' });
    const schemes = (url: string, method: string) =>
      (document.paths[url]?.[method]?.security ?? []).flatMap((s) => Object.keys(s)).sort();
    // Modules a token's scopes name: a bearer token or the session.
    expect(schemes('/api/v1/members/{memberId}', 'patch')).toEqual(['bearer', 'session']);
    expect(schemes('/api/v1/members/{memberId}/webhooks', 'post')).toEqual(['bearer', 'session']);
    // Accounts (people, tokens) are out of every token's reach: the session only.
    expect(schemes('/api/v1/members/{memberId}/tokens', 'post')).toEqual(['session']);
    // Public operations need nothing.
    expect(document.paths['/api/v1/open-data']?.get?.security).toEqual([]);
    for (const { url, method, operation } of operations()) {
      expect(operation.security, `${method} ${url}`).toBeDefined();
    }
    const withBearer = operations().filter((o) => (o.operation.security ?? []).some((s) => 'bearer' in s));
    expect(withBearer.length).toBeGreaterThan(50);
    // /api/docs keeps the token the developer authorised across reloads (swagger-ui's own option).
    const init = await t.app.inject({ method: 'GET', url: '/api/docs/static/swagger-initializer.js' });
    expect(init.statusCode).toBe(200);
    expect(init.body).toMatch(/"persistAuthorization":\s*true/);
  });

  it('generates a typed client (openapi-typescript) that type-checks calls and refuses wrong ones', async () => {
    const source = astToString(await openapiTS(document as never));
    const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'socle-openapi-'));
    try {
      fs.writeFileSync(path.join(folder, 'api.d.ts'), source);
      fs.writeFileSync(
        path.join(folder, 'client.ts'),
        `import type { operations, paths } from './api';
type CreateWebhook = operations['postMembersByMemberIdWebhooks'];
export const body: CreateWebhook['requestBody']['content']['application/json'] = {
  url: 'https://exemple.fr/webhooks',
  events: ['member.updated', 'invoice.paid'],
};
export const params: CreateWebhook['parameters']['path'] = { memberId: '00000000-0000-4000-8000-000000000000' };
export const secretOf = (created: CreateWebhook['responses'][201]['content']['application/json']): string =>
  created.secret;
export const detailOf = (problem: CreateWebhook['responses'][403]['content']['application/problem+json']) =>
  problem.detail;
type Deliveries = paths['/api/v1/members/{memberId}/webhooks/{webhookId}/deliveries']['get'];
export const codes = (page: Deliveries['responses'][200]['content']['application/json']): (number | null)[] =>
  page.items.map((d) => d.responseStatus);
export const member = (
  m: operations['getMembersByMemberId']['responses'][200]['content']['application/json'],
): string => m.name;
// @ts-expect-error: not an event type of the catalogue
export const wrong: CreateWebhook['requestBody']['content']['application/json'] = { url: 'x', events: ['member.deleted'] };
`,
      );
      const program = ts.createProgram([path.join(folder, 'client.ts')], {
        strict: true,
        noEmit: true,
        target: ts.ScriptTarget.ES2022,
        module: ts.ModuleKind.ESNext,
        moduleResolution: ts.ModuleResolutionKind.Bundler,
        skipLibCheck: true,
        types: [],
      });
      const diagnostics = ts
        .getPreEmitDiagnostics(program)
        .map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
      expect(diagnostics).toEqual([]);
    } finally {
      fs.rmSync(folder, { recursive: true, force: true });
    }
  });
});
