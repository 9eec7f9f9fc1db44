import crypto from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { promisify } from 'node:util';
import Provider, { type ProviderContext } from 'oidc-provider';
import { PROCONNECT_SCOPES } from '../../../../contracts/connect.js';
import { withLuhnDigit } from '../../../../contracts/identifiers.js';

const generateKeyPair = promisify(crypto.generateKeyPair);

/**
 * A local ProConnect for the demo and the tests: a real OpenID Connect provider (`oidc-provider`)
 * on 127.0.0.1 with ProConnect's scopes and claims (`given_name`, `usual_name`, `siret`, `uid` in the
 * signed userinfo, not in the ID token), the authorization code flow with PKCE, and RP-initiated
 * logout. Its sign-in page lets one pick a demo agent instead of authenticating at an identity provider.
 */

export interface FakeAgent {
  sub: string;
  email: string;
  givenName: string;
  usualName: string;
  siret: string;
  uid: string;
  /** Shown on the sign-in page. */
  description: string;
}

const LA_ROCHE_SUR_YON_SIREN = '218501914';
const RENNES_SIREN = '213502388';
const siretOf = (siren: string) => withLuhnDigit(`${siren}0001`);

/** The demo's agents: two of La Roche-sur-Yon (a member), one of Rennes (not a member). */
export const DEMO_PROCONNECT_AGENTS: readonly FakeAgent[] = [
  {
    sub: 'demo-pc-helene-rabiller',
    email: 'mairie@larochesuryon.example',
    givenName: 'Hélène',
    usualName: 'Rabiller',
    siret: siretOf(LA_ROCHE_SUR_YON_SIREN),
    uid: '1001',
    description:
      'administratrice de La Roche-sur-Yon, déjà inscrite sur Socle (lien confirmé une fois par son mot de passe)',
  },
  {
    sub: 'demo-pc-jean-martineau',
    email: 'jean.martineau@larochesuryon.example',
    givenName: 'Jean',
    usualName: 'Martineau',
    siret: siretOf(LA_ROCHE_SUR_YON_SIREN),
    uid: '1002',
    description: "agent de La Roche-sur-Yon sans compte Socle (demande d'accès)",
  },
  {
    sub: 'demo-pc-maelle-le-goff',
    email: 'maelle.legoff@rennes.example',
    givenName: 'Maëlle',
    usualName: 'Le Goff',
    siret: siretOf(RENNES_SIREN),
    uid: '1003',
    description: 'agente de Rennes, commune non adhérente',
  },
];

export interface FakeProConnectOptions {
  host?: string;
  port?: number;
  clientId: string;
  clientSecret: string;
  /** The relying party's public address (its callback and post-logout page). */
  publicUrl: string;
  agents?: readonly FakeAgent[];
}

export interface FakeProConnect {
  /** The issuer: discovery at `${url}/.well-known/openid-configuration`. */
  url: string;
  agents: readonly FakeAgent[];
  /** Life of an authorization code in seconds (tests shorten it to see one expire). */
  codeTtlSeconds: number;
  close(): Promise<void>;
}

const escapeHtml = (value: string) => value.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function page(title: string, body: string): string {
  return `<!doctype html><html lang="fr"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${escapeHtml(title)}</title><style>body{font-family:system-ui,sans-serif;max-width:40rem;margin:2rem auto;padding:0 1rem;color:#161616}fieldset{border:1px solid #929292;padding:1rem}label{display:block;margin:.5rem 0}button{margin-top:1rem;padding:.5rem 1rem;background:#000091;color:#fff;border:0;font-size:1rem}</style></head><body><main><h1>${escapeHtml(title)}</h1>${body}</main></body></html>`;
}

async function formOf(request: http.IncomingMessage): Promise<URLSearchParams> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > 10_000) break;
    chunks.push(chunk as Buffer);
  }
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
}

type Payload = Record<string, unknown> & { grantId?: string; uid?: string; userCode?: string };

/**
 * The provider's storage (codes, sessions, grants, interactions) for one fake: in memory, entries
 * dropped at their expiry. oidc-provider's own memory adapter is shared by every provider of the
 * process and warns at each start.
 */
function memoryAdapter() {
  const entries = new Map<string, { payload: Payload; expiresAt: number }>();
  const live = (key: string) => {
    const entry = entries.get(key);
    if (entry && entry.expiresAt < Date.now()) entries.delete(key);
    return entries.get(key)?.payload;
  };
  return class Adapter {
    constructor(private readonly model: string) {}
    private key(id: string) {
      return `${this.model}:${id}`;
    }
    async upsert(id: string, payload: Payload, expiresIn: number) {
      entries.set(this.key(id), { payload, expiresAt: Date.now() + expiresIn * 1000 });
    }
    async find(id: string) {
      return live(this.key(id));
    }
    async findByUid(uid: string) {
      for (const [key, entry] of entries) {
        if (key.startsWith(`${this.model}:`) && entry.payload.uid === uid) return live(key);
      }
      return undefined;
    }
    async findByUserCode(userCode: string) {
      for (const [key, entry] of entries) {
        if (key.startsWith(`${this.model}:`) && entry.payload.userCode === userCode) return live(key);
      }
      return undefined;
    }
    async consume(id: string) {
      const payload = live(this.key(id));
      if (payload) payload.consumed = Math.floor(Date.now() / 1000);
    }
    async destroy(id: string) {
      entries.delete(this.key(id));
    }
    async revokeByGrantId(grantId: string) {
      for (const [key, entry] of entries) if (entry.payload.grantId === grantId) entries.delete(key);
    }
  };
}

export async function startFakeProConnect(options: FakeProConnectOptions): Promise<FakeProConnect> {
  const agents = options.agents ?? DEMO_PROCONNECT_AGENTS;
  let provider: Provider | undefined;
  const server = http.createServer((request, response) => {
    handle(request, response).catch(() => {
      if (!response.headersSent) response.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' });
      response.end('Erreur du fournisseur ProConnect de démonstration.');
    });
  });
  const fake: FakeProConnect = {
    url: '',
    agents,
    codeTtlSeconds: 60,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };

  async function handle(request: http.IncomingMessage, response: http.ServerResponse) {
    const current = provider;
    if (!current) throw new Error('provider not ready');
    const match = /^\/interaction\/([A-Za-z0-9_-]+)(\/login)?$/.exec(request.url ?? '');
    if (!match) return current.callback()(request, response);
    const details = await current.interactionDetails(request, response);
    if (request.method === 'POST' && match[2]) {
      const picked = (await formOf(request)).get('agent');
      const chosen = agents.find((a) => a.sub === picked);
      if (!chosen) {
        response.writeHead(400, { 'content-type': 'text/html; charset=utf-8' });
        response.end(page('Agent inconnu', '<p>Choisissez un agent dans la liste.</p>'));
        return;
      }
      await current.interactionFinished(
        request,
        response,
        { login: { accountId: chosen.sub } },
        { mergeWithLastSubmission: false },
      );
      return;
    }
    const choices = agents
      .map(
        (a, i) =>
          `<label><input type="radio" name="agent" value="${escapeHtml(a.sub)}"${i === 0 ? ' checked' : ''}> ${escapeHtml(`${a.givenName} ${a.usualName}`)} — ${escapeHtml(a.description)} (${escapeHtml(a.email)}, SIRET ${escapeHtml(a.siret)})</label>`,
      )
      .join('');
    response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    response.end(
      page(
        'ProConnect (démonstration)',
        `<p>Fournisseur d'identité local qui joue ProConnect pour la démonstration : choisissez l'agent public avec lequel vous identifier.</p><form method="post" action="/interaction/${escapeHtml(details.uid)}/login"><fieldset><legend>Agent de démonstration</legend>${choices}</fieldset><button type="submit">Continuer</button></form>`,
      ),
    );
  }

  await new Promise<void>((resolve) =>
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', resolve),
  );
  const { port } = server.address() as AddressInfo;
  fake.url = `http://${options.host ?? '127.0.0.1'}:${port}`;

  const codeTtl = () => fake.codeTtlSeconds;
  // Generated off the main thread (libuv's pool): ~0.1–0.5 s of CPU the start does not wait on alone.
  const { privateKey } = await generateKeyPair('rsa', { modulusLength: 2048 });
  const jwk = { ...privateKey.export({ format: 'jwk' }), kid: 'demo', alg: 'RS256', use: 'sig' };
  const claims = Object.fromEntries(
    PROCONNECT_SCOPES.map((scope) => [scope, scope === 'openid' ? ['sub'] : [scope]]),
  );
  provider = new Provider(fake.url, {
    clients: [
      {
        client_id: options.clientId,
        client_secret: options.clientSecret,
        redirect_uris: [new URL('/api/v1/auth/proconnect/callback', options.publicUrl).toString()],
        post_logout_redirect_uris: [new URL('/connexion', options.publicUrl).toString()],
        grant_types: ['authorization_code'],
        response_types: ['code'],
        token_endpoint_auth_method: 'client_secret_post',
        id_token_signed_response_alg: 'RS256',
        userinfo_signed_response_alg: 'RS256',
      },
    ],
    adapter: memoryAdapter(),
    jwks: { keys: [jwk] },
    cookies: { keys: [crypto.randomBytes(32).toString('hex')] },
    scopes: [...PROCONNECT_SCOPES],
    claims,
    findAccount: async (_ctx: unknown, sub: string) => {
      const agent = agents.find((a) => a.sub === sub);
      if (!agent) return undefined;
      return {
        accountId: sub,
        claims: async () => ({
          sub,
          email: agent.email,
          given_name: agent.givenName,
          usual_name: agent.usualName,
          siret: agent.siret,
          uid: agent.uid,
        }),
      };
    },
    interactions: { url: (_ctx: unknown, interaction: { uid: string }) => `/interaction/${interaction.uid}` },
    features: {
      devInteractions: { enabled: false },
      jwtUserinfo: { enabled: true },
      rpInitiatedLogout: {
        enabled: true,
        logoutSource: async (ctx: ProviderContext, form: string) => {
          ctx.body = page(
            'Se déconnecter de ProConnect (démonstration)',
            `${form}<button type="submit" form="op.logoutForm" name="logout" value="yes">Se déconnecter</button>`,
          );
        },
      },
    },
    pkce: { required: () => true },
    // No consent screen: like ProConnect, the grant covers the scopes the platform asks for.
    loadExistingGrant: async (ctx: ProviderContext) => {
      const { client, session, provider: own } = ctx.oidc;
      if (!client || !session?.accountId) return undefined;
      const grantId = ctx.oidc.result?.consent?.grantId ?? session.grantIdFor(client.clientId);
      if (grantId) {
        const existing = await own.Grant.find(grantId);
        if (existing) return existing;
      }
      const grant = new own.Grant({ clientId: client.clientId, accountId: session.accountId });
      grant.addOIDCScope(PROCONNECT_SCOPES.join(' '));
      await grant.save();
      return grant;
    },
    ttl: {
      AuthorizationCode: codeTtl,
      AccessToken: 600,
      IdToken: 3600,
      Interaction: 600,
      Session: 3600,
      Grant: 3600,
    },
  });
  return fake;
}
