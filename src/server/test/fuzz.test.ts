import crypto from 'node:crypto';
import fs from 'node:fs';
import fc from 'fast-check';
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, request, requestStream, type Session, type TestApp } from './app.js';
import { buildMatrixFixtures, type MatrixSessions } from './authorisation-matrix.fixtures.js';
import {
  type ActorName,
  CAST,
  type Call,
  type Fixtures,
  isAllowed,
  type Method,
  ROUTES,
  type RouteCase,
} from './authorisation-matrix.table.js';
import { multipart } from './bodies.js';

/**
 * The fuzz pass: every operation of the OpenAPI document is called, as a person the authorisation
 * table allows, with bad inputs planted one at a time in an otherwise valid request (the matrix's own
 * request for the route, on the matrix's fixtures): NUL bytes, 10,000-character strings, huge and
 * fractional numbers, years 0, 1 and 99999, wrong types, long arrays, truncated or boundary-less
 * multipart bodies. The only acceptable answers are 2xx, or 4xx as application/problem+json: never
 * a 5xx. Random texts and numbers come from fast-check with a fixed seed, so a failure replays.
 */

const SEED = 20_260_410;

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
interface JsonSchema {
  type?: string | string[];
  format?: string;
  pattern?: string;
  enum?: Json[];
  minimum?: number;
  minItems?: number;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  default?: Json;
}
interface Operation {
  parameters?: { in: 'path' | 'query' | 'header'; name: string; schema?: JsonSchema }[];
  requestBody?: { content?: Record<string, { schema?: JsonSchema }> };
}

type Kind = 'string' | 'date' | 'datetime' | 'number' | 'boolean' | 'array' | 'object';
type Path = (string | number)[];

/** The schema a value must match, a nullable wrapper removed. */
function unwrap(schema: JsonSchema | undefined): JsonSchema | undefined {
  const branches = schema?.anyOf ?? schema?.oneOf;
  if (!branches) return schema;
  return unwrap(branches.find((b) => b.type !== 'null') ?? branches[0]);
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T/;

function kindOf(value: Json | undefined, schema: JsonSchema | undefined): Kind {
  const s = unwrap(schema);
  if (s?.format === 'date' || (typeof value === 'string' && DATE.test(value))) return 'date';
  if (s?.format === 'date-time' || (typeof value === 'string' && DATE_TIME.test(value))) return 'datetime';
  const type = Array.isArray(s?.type) ? s?.type.find((t) => t !== 'null') : s?.type;
  if (type === 'integer' || type === 'number' || typeof value === 'number') return 'number';
  if (type === 'boolean' || typeof value === 'boolean') return 'boolean';
  if (type === 'array' || Array.isArray(value)) return 'array';
  if (type === 'object' || (value !== null && typeof value === 'object')) return 'object';
  return 'string';
}

/** A value the schema probably accepts, to reach the fields a valid request leaves out. */
function validFor(schema: JsonSchema | undefined): Json {
  const s = unwrap(schema);
  if (!s) return 'Texte';
  if (s.enum?.length) return s.enum[0];
  switch (kindOf(undefined, s)) {
    case 'date':
      return '2026-01-15';
    case 'datetime':
      return '2026-01-15T10:00:00.000Z';
    case 'number':
      return Math.max(s.minimum ?? 1, 1);
    case 'boolean':
      return false;
    case 'array':
      return [validFor(s.items)];
    case 'object':
      return Object.fromEntries(Object.entries(s.properties ?? {}).map(([k, p]) => [k, validFor(p)]));
    default:
      return s.format === 'uuid' ? crypto.randomUUID() : s.format === 'email' ? 'fuzz@test.example' : 'Texte';
  }
}

const clone = <T>(value: T): T => structuredClone(value);

function setAt(root: Json, path: Path, value: Json): Json {
  if (path.length === 0) return value;
  const copy = clone(root) as Record<string | number, Json>;
  let node = copy;
  for (const key of path.slice(0, -1)) node = node[key] as Record<string | number, Json>;
  node[path[path.length - 1]] = value;
  return copy;
}

interface Leaf {
  path: Path;
  kind: Kind;
  /** The request body this leaf is planted in (the valid body, extended with the leaf's field). */
  base: Json;
  first?: Json;
}

/** Every field of a valid body, and every field its schema allows that the body leaves out. */
function leavesOf(value: Json, schema: JsonSchema | undefined, path: Path, base: Json, out: Leaf[]) {
  const s = unwrap(schema);
  if (Array.isArray(value)) {
    if (path.length) out.push({ path, kind: 'array', base, first: value[0] ?? null });
    if (value.length) leavesOf(value[0], s?.items, [...path, 0], base, out);
    return;
  }
  if (value !== null && typeof value === 'object') {
    if (path.length) out.push({ path, kind: 'object', base });
    const properties = s?.properties ?? {};
    for (const [key, field] of Object.entries(value))
      leavesOf(field, properties[key], [...path, key], base, out);
    for (const [key, field] of Object.entries(properties)) {
      if (key in value) continue;
      const made = validFor(field);
      leavesOf(made, field, [...path, key], setAt(base, [...path, key], made), out);
    }
    return;
  }
  out.push({ path, kind: kindOf(value, schema), base });
}

const LONG = 'x'.repeat(10_000);
const NUL_TEXT = 'Texte\u0000nul';

/** fast-check, seeded: a few random texts (any code point, controls included) and numbers. */
const randomTexts = fc.sample(fc.string({ unit: 'binary', minLength: 1, maxLength: 40 }), {
  seed: SEED,
  numRuns: 8,
});
const randomNumbers = fc.sample(
  fc.oneof(
    fc.integer({ min: -(2 ** 53) + 1, max: 2 ** 53 - 1 }),
    fc.double({ noNaN: true, noDefaultInfinity: true }),
  ),
  { seed: SEED, numRuns: 8 },
);

function badValues(leaf: Leaf, index: number): { label: string; value: Json }[] {
  const random = (list: Json[]) => list[index % list.length];
  switch (leaf.kind) {
    case 'string':
      return [
        { label: 'NUL byte', value: NUL_TEXT },
        { label: '10,000 characters', value: LONG },
        { label: 'number instead of text', value: 42 },
        { label: 'random text', value: random(randomTexts) },
      ];
    case 'date':
      return [
        { label: 'year 0', value: '0000-01-01' },
        { label: 'year 1', value: '0001-01-01' },
        { label: 'year 1899', value: '1899-12-31' },
        { label: 'year 9999', value: '9999-12-31' },
        { label: 'year 99999', value: '99999-12-31' },
        { label: 'NUL byte', value: '2026-01-15\u0000' },
        { label: 'number instead of date', value: 20260115 },
      ];
    case 'datetime':
      return [
        { label: 'year 0', value: '0000-01-01T00:00:00Z' },
        { label: 'year 1', value: '0001-01-01T00:00:00.000Z' },
        { label: 'year 9999', value: '9999-12-31T23:59:59Z' },
        { label: 'year 99999', value: '+099999-01-01T00:00:00Z' },
        { label: 'NUL byte', value: '2026-01-15T10:00:00Z\u0000' },
      ];
    case 'number':
      return [
        { label: '2^53-1', value: 2 ** 53 - 1 },
        { label: '2^31', value: 2 ** 31 },
        { label: '-2^31-1', value: -(2 ** 31) - 1 },
        { label: '1e308', value: 1e308 },
        { label: 'fraction', value: 0.5 },
        { label: 'text instead of number', value: 'douze' },
        { label: 'random number', value: random(randomNumbers) },
      ];
    case 'boolean':
      return [{ label: 'text instead of boolean', value: 'oui' }];
    case 'array':
      return [
        { label: 'text instead of list', value: NUL_TEXT },
        { label: 'list of null', value: [null] },
        { label: '1,000 copies', value: Array.from({ length: 1000 }, () => leaf.first ?? 'x') },
      ];
    case 'object':
      return [
        { label: 'text instead of object', value: NUL_TEXT },
        { label: 'list instead of object', value: [] },
      ];
  }
}

const QUERY_VALUES: { label: string; value: string }[] = [
  { label: 'NUL byte', value: 'a\u0000b' },
  { label: '10,000 characters', value: LONG },
  { label: 'huge number', value: '99999999999999999999' },
  { label: 'negative', value: '-1' },
  { label: 'year 0', value: '0000-01-01' },
  { label: 'year 99999', value: '99999-12-31' },
];
const PATH_VALUES: { label: string; value: string }[] = [
  { label: 'NUL byte', value: '%00' },
  { label: 'not an id', value: 'pas-un-identifiant' },
  { label: '1,000 characters', value: 'x'.repeat(1000) },
  { label: 'huge number', value: '99999999999999999999' },
  { label: 'year 0', value: '0' },
];

interface Probe {
  label: string;
  method: Method;
  url: string;
  body?: Json;
  /** A raw payload and its headers (multipart, broken JSON). */
  raw?: { payload: Buffer | string; headers: Record<string, string> };
}

/** The probes of one route: its valid request with one bad input at a time. */
function probesOf(
  method: Method,
  template: string,
  operation: Operation,
  call: Call,
  index: number,
): Probe[] {
  const probes: Probe[] = [];
  const [path, search = ''] = call.url.split('?');
  const withQuery = (q: URLSearchParams) => (q.size ? `${path}?${q}` : path);

  // Path parameters, each in turn.
  const templateParts = template.split('/');
  const pathParts = path.split('/');
  templateParts.forEach((part, i) => {
    if (!part.startsWith('{')) return;
    for (const bad of PATH_VALUES) {
      const parts = [...pathParts];
      parts[i] = bad.value;
      probes.push({
        label: `path ${part}: ${bad.label}`,
        method,
        url: search ? `${parts.join('/')}?${search}` : parts.join('/'),
        body: call.body as Json,
      });
    }
  });

  // Query parameters, each in turn, then one 100 kB query string.
  for (const parameter of operation.parameters ?? []) {
    if (parameter.in !== 'query') continue;
    for (const bad of QUERY_VALUES) {
      const q = new URLSearchParams(search);
      q.set(parameter.name, bad.value);
      probes.push({
        label: `query ${parameter.name}: ${bad.label}`,
        method,
        url: withQuery(q),
        body: call.body as Json,
      });
    }
    const twice = new URLSearchParams(search);
    twice.append(parameter.name, 'a');
    twice.append(parameter.name, 'b');
    probes.push({
      label: `query ${parameter.name}: given twice`,
      method,
      url: withQuery(twice),
      body: call.body as Json,
    });
  }
  const huge = new URLSearchParams(search);
  huge.set('q', 'a'.repeat(100_000));
  probes.push({ label: 'query string of 100 kB', method, url: withQuery(huge), body: call.body as Json });

  // Multipart uploads: broken envelopes and bad fields.
  if (call.multipart) {
    const { payload, headers } = multipart(call.multipart.fields, call.multipart.file);
    probes.push(
      {
        label: 'multipart without boundary',
        method,
        url: call.url,
        raw: { payload, headers: { 'content-type': 'multipart/form-data' } },
      },
      {
        label: 'multipart truncated',
        method,
        url: call.url,
        raw: { payload: payload.subarray(0, Math.floor(payload.length / 2)), headers },
      },
      { label: 'multipart as JSON', method, url: call.url, body: { file: 'x' } },
    );
    for (const field of Object.keys(call.multipart.fields)) {
      for (const value of [NUL_TEXT, LONG]) {
        const body = multipart({ ...call.multipart.fields, [field]: value }, call.multipart.file);
        probes.push({
          label: `multipart field ${field}: ${value === LONG ? 'long' : 'NUL byte'}`,
          method,
          url: call.url,
          raw: body,
        });
      }
    }
    return probes;
  }

  // JSON bodies: the whole body, then each field in turn.
  const schema = operation.requestBody?.content?.['application/json']?.schema;
  if (!schema) return probes;
  const body = (call.body ?? {}) as Json;
  const json = (payload: string) => ({ payload, headers: { 'content-type': 'application/json' } });
  probes.push(
    { label: 'body: a list', method, url: call.url, body: [] },
    { label: 'body: a text', method, url: call.url, raw: json('"texte"') },
    { label: 'body: broken JSON', method, url: call.url, raw: json('{"a":') },
    { label: 'body: __proto__', method, url: call.url, raw: json('{"__proto__":{"isAdmin":true}}') },
  );
  const leaves: Leaf[] = [];
  leavesOf(body, schema, [], body, leaves);
  for (const leaf of leaves) {
    for (const bad of badValues(leaf, index)) {
      probes.push({
        label: `body ${leaf.path.join('.')}: ${bad.label}`,
        method,
        url: call.url,
        body: setAt(leaf.base, leaf.path, bad.value),
      });
    }
  }
  return probes;
}

/**
 * Creations refuse a code or an e-mail already taken (409) before they reach the fields under test:
 * each probe gets its own, unless that field is the one under test.
 */
function unique(probe: Probe, n: number): Json | undefined {
  const body = probe.body;
  if (body === null || typeof body !== 'object' || Array.isArray(body)) return body;
  const copy = { ...body };
  if (typeof copy.code === 'string' && !probe.label.startsWith('body code:')) copy.code = `${copy.code}${n}`;
  if (typeof copy.email === 'string' && !probe.label.startsWith('body email:'))
    copy.email = `f${n}-${copy.email}`;
  return copy;
}

/** Who calls a route: the first person the table lets through (its probes first, operator people next). */
const PREFERENCE: readonly ActorName[] = ['opAdmin', 'opDpo', 'opFinance', 'adminA', 'editorA', ...CAST];
function callerOf(entry: RouteCase): ActorName {
  const candidates = [...(entry.probe ?? []), ...PREFERENCE];
  const actor = candidates.find((a) => isAllowed(entry.access, a));
  if (!actor) throw new Error('nobody may call this route');
  return actor;
}

/** What is wrong with an answer, or null: 2xx, or 4xx as problem+json. */
function wrongAnswer(response: LightMyRequestResponse): string | null {
  const { statusCode } = response;
  if (statusCode >= 200 && statusCode < 300) return null;
  if (statusCode >= 400 && statusCode < 500) {
    if (!String(response.headers['content-type']).startsWith('application/problem+json')) {
      return `${statusCode} as ${response.headers['content-type']}`;
    }
    return null;
  }
  return `${statusCode} ${response.body.slice(0, 300)}`;
}

describe('fuzz: bad inputs on every route', () => {
  let t: TestApp;
  let f: Fixtures;
  let sessionsOf: MatrixSessions;
  let operations: { method: Method; template: string; operation: Operation }[];

  beforeAll(async () => {
    t = await createTestApp();
    ({ f, sessionsOf } = await buildMatrixFixtures(t));
    const document = (await t.app.inject({ url: '/api/v1/openapi.json' })).json() as {
      paths: Record<string, Record<string, Operation>>;
    };
    operations = Object.entries(document.paths).flatMap(([template, byMethod]) =>
      Object.entries(byMethod).map(([method, operation]) => ({
        method: method.toUpperCase() as Method,
        template,
        operation,
      })),
    );
  });
  afterAll(() => t?.close());

  it('answers 2xx or a 4xx problem, never a 5xx', { timeout: 600_000 }, async () => {
    expect(operations.length).toBeGreaterThan(100);
    const failures: string[] = [];
    let sent = 0;
    for (const [index, { method, template, operation }] of operations.entries()) {
      const key = `${method} ${template.replace(/\{(\w+)\}/g, ':$1')}`;
      const entry = ROUTES[key];
      if (!entry) {
        failures.push(`${key}: not in the authorisation table`);
        continue;
      }
      const actor = callerOf(entry);
      const session: Session | null = actor === 'anonymous' ? null : sessionsOf[actor];
      const stream = entry.call(f).stream === true;
      for (const probe of probesOf(method, template, operation, entry.call(f), index)) {
        const response = probe.raw
          ? await request(t.app, session, probe.method, probe.url, probe.raw.payload, probe.raw.headers)
          : stream && probe.method === 'GET'
            ? await requestStream(t.app, session, probe.url)
            : await request(t.app, session, probe.method, probe.url, unique(probe, sent));
        sent++;
        const wrong = wrongAnswer(response);
        if (wrong) failures.push(`${key} as ${actor}, ${probe.label}: ${wrong}`);
      }
    }
    // The assertion below shows the first failures only: FUZZ_REPORT=<file> writes them all.
    if (process.env.FUZZ_REPORT) fs.writeFileSync(process.env.FUZZ_REPORT, failures.join('\n'));
    expect(sent).toBeGreaterThan(1000);
    expect(failures).toEqual([]);
  });
});
