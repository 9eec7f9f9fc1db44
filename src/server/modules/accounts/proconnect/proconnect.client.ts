import * as oidc from 'openid-client';
import { PROCONNECT_SCOPES } from '../../../../contracts/connect.js';
import { unavailable } from '../../../platform/errors.js';

/**
 * The ProConnect relying party (OpenID Connect, authorization code flow), on `openid-client`:
 * discovery, `state` + `nonce` + PKCE, the ID token's signature, issuer, audience, expiry and nonce
 * checked, then the userinfo (ProConnect signs it: a JWT, checked the same way) whose `sub` must be the
 * ID token's. Logout goes through the provider's end_session_endpoint with the ID token as hint.
 */

export interface ProConnectSettings {
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** The platform's public address: the callback and the post-logout page are under it. */
  publicUrl: string;
}

/** What a sign-in proved about the agent: ProConnect's claims. */
export interface ProConnectIdentity {
  sub: string;
  email: string;
  givenName: string;
  usualName: string;
  /** The agent's structure (SIRET); its first nine digits are the SIREN. */
  siret: string;
  uid: string | null;
  idToken: string;
}

/** A flow's secrets: kept server-side (proconnect_flows) until the callback. */
export interface ProConnectFlow {
  state: string;
  nonce: string;
  codeVerifier: string;
  authorizationUrl: string;
}

export class ProConnectError extends Error {}

export const CALLBACK_PATH = '/api/v1/auth/proconnect/callback';

export interface ProConnectClient {
  readonly issuer: string;
  begin(): Promise<ProConnectFlow>;
  /** Exchanges the code of `callbackUrl` and checks everything; throws ProConnectError on any doubt. */
  finish(
    callbackUrl: URL,
    expected: { state: string; nonce: string; codeVerifier: string },
  ): Promise<ProConnectIdentity>;
  /** The end-session URL for a session opened with `idToken`; null when the provider has none. */
  logoutUrl(idToken: string): Promise<string | null>;
}

const text = (value: unknown) => (typeof value === 'string' ? value : '');

export function createProConnectClient(settings: ProConnectSettings): ProConnectClient {
  const redirectUri = new URL(CALLBACK_PATH, settings.publicUrl).toString();
  let configuration: Promise<oidc.Configuration> | undefined;
  const configured = () => {
    configuration ??= oidc
      .discovery(
        new URL(settings.issuer),
        settings.clientId,
        {
          client_secret: settings.clientSecret,
          id_token_signed_response_alg: 'RS256',
          userinfo_signed_response_alg: 'RS256',
        },
        oidc.ClientSecretPost(settings.clientSecret),
        {
          // Only a local provider (demo, tests) is reached over plain http: production refuses it (config.ts).
          execute: settings.issuer.startsWith('http://') ? [oidc.allowInsecureRequests] : [],
          timeout: 10,
        },
      )
      .catch((error: unknown) => {
        configuration = undefined;
        throw error;
      });
    return configuration;
  };
  const reach = async () => {
    try {
      return await configured();
    } catch {
      throw unavailable('ProConnect est momentanément injoignable : réessayez dans quelques instants.');
    }
  };

  return {
    issuer: settings.issuer,
    async begin() {
      const config = await reach();
      const state = oidc.randomState();
      const nonce = oidc.randomNonce();
      const codeVerifier = oidc.randomPKCECodeVerifier();
      const url = oidc.buildAuthorizationUrl(config, {
        redirect_uri: redirectUri,
        scope: PROCONNECT_SCOPES.join(' '),
        state,
        nonce,
        code_challenge: await oidc.calculatePKCECodeChallenge(codeVerifier),
        code_challenge_method: 'S256',
      });
      return { state, nonce, codeVerifier, authorizationUrl: url.toString() };
    },
    async finish(callbackUrl, expected) {
      const config = await reach();
      try {
        const tokens = await oidc.authorizationCodeGrant(config, callbackUrl, {
          expectedState: expected.state,
          expectedNonce: expected.nonce,
          pkceCodeVerifier: expected.codeVerifier,
          idTokenExpected: true,
        });
        const claims = tokens.claims();
        const idToken = tokens.id_token;
        if (!claims || !idToken) throw new ProConnectError('no ID token');
        const info = await oidc.fetchUserInfo(config, tokens.access_token, claims.sub);
        const identity: ProConnectIdentity = {
          sub: claims.sub,
          email: text(info.email).trim().toLowerCase(),
          givenName: text(info.given_name).trim(),
          usualName: text(info.usual_name).trim(),
          siret: text(info.siret).replace(/\s/g, ''),
          uid: text(info.uid) || null,
          idToken,
        };
        if (!identity.email.includes('@') || !/^\d{14}$/.test(identity.siret)) {
          throw new ProConnectError('userinfo without email or siret');
        }
        return identity;
      } catch (error) {
        if (error instanceof ProConnectError) throw error;
        throw new ProConnectError(error instanceof Error ? error.message : String(error));
      }
    },
    async logoutUrl(idToken) {
      const config = await reach();
      if (!config.serverMetadata().end_session_endpoint) return null;
      return oidc
        .buildEndSessionUrl(config, {
          id_token_hint: idToken,
          state: oidc.randomState(),
          post_logout_redirect_uri: new URL('/connexion', settings.publicUrl).toString(),
        })
        .toString();
    },
  };
}
