// One adapter for HubSpot's OAuth token endpoints; the endpoint generation is a single setting.
//
// Plain fetch for BOTH versions, not the SDK's `client.oauth.*` for v1: @hubspot/api-client 13.5 only knows v1
// (docs/hubspot-contract.md §1.2), so 2026-03 needs fetch anyway, and one code path means one error translation, a real timeout
// (AbortSignal; the SDK cannot abort) and no use of the SDK's process-wide decorator singleton (docs/hubspot-contract.md §7.3).
import { z } from 'zod';
import { HubSpotOAuthError, toOAuthError, toOAuthNetworkError } from './oauth-error';
import { parseAccessTokenInfo, parseIntrospection, type AccessTokenInfo, type TokenIntrospection } from './oauth-metadata';

/** `v1` is retired by HubSpot on 2027-02-16 (changelog v1-oauth-api-deprecation). */
export type OAuthEndpointVersion = '2026-03' | 'v1';

export interface HubSpotOAuthClientOptions {
  /** HUBSPOT_API_BASE_URL, e.g. https://api.hubapi.com (no trailing path). */
  baseUrl: string;
  clientId: string;
  clientSecret: string;
  version?: OAuthEndpointVersion;
  timeoutMs?: number;
  now?: () => number;
  fetch?: typeof fetch;
}

export interface TokenSet {
  accessToken: string;
  refreshToken: string;
  expiresInSeconds: number;
  tokenType: string;
  idToken?: string;
}

export type TokenTypeHint = 'access_token' | 'refresh_token';

export interface HubSpotOAuthClient {
  readonly version: OAuthEndpointVersion;
  exchangeCode(input: { code: string; redirectUri: string }): Promise<TokenSet>;
  refresh(refreshToken: string): Promise<TokenSet>;
  introspect(token: string, hint: TokenTypeHint): Promise<TokenIntrospection>;
  /** Idempotent: a token HubSpot no longer knows counts as revoked. */
  revoke(refreshToken: string): Promise<{ alreadyRevoked: boolean }>;
  /** Throws HubSpotOAuthError kind `invalid_grant` when the token is not active. */
  getAccessTokenInfo(accessToken: string): Promise<AccessTokenInfo>;
}

export type { AccessTokenInfo, TokenIntrospection };

const tokenResponse = z.object({
  access_token: z.string().min(1),
  refresh_token: z.string().min(1).optional(),
  expires_in: z.coerce.number().int().positive(),
  token_type: z.string().default('bearer'),
  id_token: z.string().optional(),
});

export function createHubSpotOAuthClient(options: HubSpotOAuthClientOptions): HubSpotOAuthClient {
  const version = options.version ?? '2026-03';
  const base = options.baseUrl.replace(/\/+$/, '');
  const timeoutMs = options.timeoutMs ?? 10_000;
  const now = options.now ?? Date.now;
  const doFetch = options.fetch ?? fetch;
  const { clientId, clientSecret } = options;

  async function send(operation: string, path: string, init: { method: string; form?: Record<string, string> }, secrets: string[]) {
    const allSecrets = [clientSecret, ...secrets];
    let res: Response;
    try {
      res = await doFetch(base + path, {
        method: init.method,
        headers: {
          Accept: 'application/json',
          ...(init.form ? { 'Content-Type': 'application/x-www-form-urlencoded;charset=utf-8' } : {}),
        },
        body: init.form ? new URLSearchParams(init.form).toString() : undefined,
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (cause) {
      throw toOAuthNetworkError(operation, cause);
    }
    const text = await res.text().catch(() => '');
    if (!res.ok) throw toOAuthError(operation, res.status, text, allSecrets);
    return { status: res.status, text };
  }

  function parseJson(operation: string, text: string): unknown {
    try {
      return JSON.parse(text);
    } catch {
      throw new HubSpotOAuthError({ kind: 'unexpected', status: 200, message: `HubSpot OAuth ${operation}: response is not JSON` });
    }
  }

  async function requestTokens(operation: string, form: Record<string, string>, secrets: string[]): Promise<TokenSet> {
    const path = version === 'v1' ? '/oauth/v1/token' : '/oauth/2026-03/token';
    const body = { ...form, client_id: clientId, client_secret: clientSecret };
    const { text } = await send(operation, path, { method: 'POST', form: body }, secrets);
    const parsed = tokenResponse.safeParse(parseJson(operation, text));
    if (!parsed.success) {
      // zod issues name fields, never values; still, only the paths go into the message.
      const fields = parsed.error.issues.map((i) => i.path.join('.')).join(', ');
      throw new HubSpotOAuthError({ kind: 'unexpected', status: 200, message: `HubSpot OAuth ${operation}: unexpected token response (${fields})` });
    }
    const t = parsed.data;
    return {
      accessToken: t.access_token,
      // UNVERIFIED: whether HubSpot rotates refresh tokens; keep whatever comes back, else the one we sent
      // (docs/hubspot-contract.md §1.2)
      refreshToken: t.refresh_token ?? form.refresh_token ?? '',
      expiresInSeconds: t.expires_in,
      tokenType: t.token_type,
      ...(t.id_token ? { idToken: t.id_token } : {}),
    };
  }

  async function introspect(token: string, hint: TokenTypeHint): Promise<TokenIntrospection> {
    if (version === '2026-03') {
      const form = { client_id: clientId, client_secret: clientSecret, token, token_type_hint: hint };
      const { text } = await send('introspect', '/oauth/2026-03/token/introspect', { method: 'POST', form }, [token]);
      return parseIntrospection(parseJson('introspect', text), now());
    }
    const kind = hint === 'access_token' ? 'access-tokens' : 'refresh-tokens';
    try {
      const { text } = await send('introspect', `/oauth/v1/${kind}/${encodeURIComponent(token)}`, { method: 'GET' }, [token]);
      return { ...parseIntrospection(parseJson('introspect', text), now()), active: true };
    } catch (error) {
      // v1 has no "inactive" answer: an unknown, expired or revoked token is a 4xx. Mapped to RFC 7662's
      // { active: false } so both versions answer alike.
      // UNVERIFIED: the exact v1 status for an unknown token (400 vs 404) (docs/hubspot-contract.md §1.4)
      if (error instanceof HubSpotOAuthError && [400, 401, 404].includes(error.status)) return { active: false, scopes: [] };
      throw error;
    }
  }

  return {
    version,
    exchangeCode: ({ code, redirectUri }) =>
      requestTokens('code exchange', { grant_type: 'authorization_code', code, redirect_uri: redirectUri }, [code]),
    refresh: (refreshToken) => requestTokens('refresh', { grant_type: 'refresh_token', refresh_token: refreshToken }, [refreshToken]),
    introspect,
    async revoke(refreshToken) {
      try {
        if (version === '2026-03') {
          // UNVERIFIED: form fields and answer of /token/revoke beyond "replaces DELETE refresh-tokens"; RFC 7009
          // answers 200 even for unknown tokens, so alreadyRevoked is only detectable on v1 (docs/hubspot-contract.md §1.2)
          const form = { client_id: clientId, client_secret: clientSecret, token: refreshToken, token_type_hint: 'refresh_token' };
          await send('revoke', '/oauth/2026-03/token/revoke', { method: 'POST', form }, [refreshToken]);
        } else {
          await send('revoke', `/oauth/v1/refresh-tokens/${encodeURIComponent(refreshToken)}`, { method: 'DELETE' }, [refreshToken]);
        }
        return { alreadyRevoked: false };
      } catch (error) {
        if (error instanceof HubSpotOAuthError && (error.kind === 'invalid_grant' || error.status === 404)) return { alreadyRevoked: true };
        throw error;
      }
    },
    async getAccessTokenInfo(accessToken) {
      const info = await introspect(accessToken, 'access_token');
      if (!info.active) {
        throw new HubSpotOAuthError({ kind: 'invalid_grant', status: 200, message: 'HubSpot access token is not active (expired, revoked or unknown)' });
      }
      return parseAccessTokenInfo(info);
    },
  };
}
