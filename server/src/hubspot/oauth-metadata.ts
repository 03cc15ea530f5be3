// Token metadata from either generation of endpoint, normalised to one shape.
// v1 GET /oauth/v1/access-tokens/{t} answers snake_case (hub_id, user, app_id, expires_in; docs/hubspot-contract.md §1.4). The 2026-03
// introspect answer is RFC 7662-style (`active`, `scope`, `exp`, …) plus HubSpot fields.
// UNVERIFIED: the exact field set of the 2026-03 introspect response (docs/hubspot-contract.md §1.4), hence the tolerant
// reading of snake_case, camelCase and RFC 7662 names below.
import { HubSpotOAuthError } from './oauth-error';

export interface TokenIntrospection {
  active: boolean;
  tokenType?: string;
  hubId?: number;
  userId?: number;
  userEmail?: string;
  appId?: number;
  clientId?: string;
  scopes: string[];
  hubDomain?: string;
  expiresInSeconds?: number;
}

export interface AccessTokenInfo {
  hubId: number;
  userId: number | undefined;
  userEmail: string | undefined;
  appId: number | undefined;
  scopes: string[];
  hubDomain: string | undefined;
  expiresInSeconds: number | undefined;
}

type Raw = Record<string, unknown>;

const pick = (raw: Raw, ...keys: string[]): unknown => keys.map((k) => raw[k]).find((v) => v !== undefined && v !== null && v !== '');

function num(value: unknown): number | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value === 'string' && /^\d+$/.test(value)) return Number(value);
  return undefined;
}

const text = (value: unknown): string | undefined => (typeof value === 'string' && value !== '' ? value : undefined);

function scopesOf(raw: Raw): string[] {
  const value = pick(raw, 'scopes', 'scope');
  if (Array.isArray(value)) return value.filter((s): s is string => typeof s === 'string');
  // RFC 7662 `scope` is one space-separated string.
  if (typeof value === 'string') return value.split(/\s+/).filter(Boolean);
  return [];
}

function expiresInOf(raw: Raw, nowMs: number): number | undefined {
  const direct = num(pick(raw, 'expires_in', 'expiresIn'));
  if (direct !== undefined) return direct;
  const exp = num(raw.exp); // RFC 7662: epoch seconds
  return exp === undefined ? undefined : Math.max(0, Math.floor(exp - nowMs / 1000));
}

export function parseIntrospection(body: unknown, nowMs: number): TokenIntrospection {
  if (!body || typeof body !== 'object') {
    throw new HubSpotOAuthError({ kind: 'unexpected', status: 200, message: 'HubSpot OAuth introspect: response is not an object' });
  }
  const raw = body as Raw;
  // The v1 metadata endpoints have no `active` flag: a 200 means the token is live.
  const active = typeof raw.active === 'boolean' ? raw.active : true;
  const signed = (raw.signed_access_token && typeof raw.signed_access_token === 'object' ? raw.signed_access_token : {}) as Raw;
  const result: TokenIntrospection = { active, scopes: scopesOf(raw) };
  const fields: Partial<TokenIntrospection> = {
    tokenType: text(pick(raw, 'token_type', 'tokenType')),
    hubId: num(pick(raw, 'hub_id', 'hubId', 'portal_id', 'portalId')) ?? num(signed.hubId),
    userId: num(pick(raw, 'user_id', 'userId')) ?? num(signed.userId),
    userEmail: text(pick(raw, 'user', 'user_email', 'userEmail', 'email', 'username')),
    appId: num(pick(raw, 'app_id', 'appId')) ?? num(signed.appId),
    clientId: text(pick(raw, 'client_id', 'clientId')),
    hubDomain: text(pick(raw, 'hub_domain', 'hubDomain')),
    expiresInSeconds: expiresInOf(raw, nowMs),
  };
  for (const [key, value] of Object.entries(fields)) if (value !== undefined) Object.assign(result, { [key]: value });
  return result;
}

export function parseAccessTokenInfo(info: TokenIntrospection): AccessTokenInfo {
  if (info.hubId === undefined) {
    throw new HubSpotOAuthError({ kind: 'unexpected', status: 200, message: 'HubSpot token metadata has no hub id' });
  }
  return {
    hubId: info.hubId,
    userId: info.userId,
    userEmail: info.userEmail,
    appId: info.appId,
    scopes: info.scopes,
    hubDomain: info.hubDomain,
    expiresInSeconds: info.expiresInSeconds,
  };
}
