// OAuth token endpoints (v1 and 2026-03), token metadata, introspection and revocation (docs/hubspot-contract.md §1).
import { Hono, type Context } from 'hono';
import type { SandboxContext } from './context';
import { pathParam, serve, type ContractEnv } from './contract/route';
import { checkBearer, isInstalled, issueAccessToken, issueAppToken, issueTokenPair } from './grants';
import { hsError, oauthError } from './hs-errors';
import type { AccessTokenRecord, RefreshTokenRecord } from './runtime-types';

/** Form fields, or an empty set when the body is not form-encoded (HubSpot only reads form parameters). */
async function readForm(c: Context): Promise<URLSearchParams> {
  const type = c.req.header('Content-Type') ?? '';
  if (!type.toLowerCase().startsWith('application/x-www-form-urlencoded')) return new URLSearchParams();
  return new URLSearchParams(await c.req.text());
}

function clientProblem(ctx: SandboxContext, c: Context, form: URLSearchParams): Response | undefined {
  if (form.get('client_id') !== ctx.app.clientId) {
    return oauthError(c, 'invalid_client', 'BAD_CLIENT_ID', 'missing or unknown client id');
  }
  if (form.get('client_secret') !== ctx.app.clientSecret) {
    // ASSUMPTION (UNVERIFIED): a wrong secret reports the same legacy status as a wrong id. source: docs/hubspot-contract.md §1.3
    return oauthError(c, 'invalid_client', 'BAD_CLIENT_ID', 'client secret does not match client id');
  }
  return undefined;
}

function tokenResponse(ctx: SandboxContext, access: AccessTokenRecord, version: 'v1' | '2026-03') {
  const body: Record<string, unknown> = {
    token_type: 'bearer',
    refresh_token: access.refreshToken,
    access_token: access.token,
    expires_in: ctx.config.accessTokenTtlSeconds,
  };
  // 2026-03 (AccessTokenResponse): token_use is required; hub_id, user_id and scopes are documented optional fields.
  if (version === '2026-03') Object.assign(body, { token_use: 'access_token', hub_id: access.portalId, user_id: access.userId, scopes: access.scopes });
  return body;
}

async function tokenEndpoint(ctx: SandboxContext, c: Context, version: 'v1' | '2026-03'): Promise<Response> {
  const form = await readForm(c);
  const grant = form.get('grant_type');
  if (grant === 'client_credentials') {
    const bad = clientProblem(ctx, c, form);
    if (bad) return bad;
    // ASSUMPTION (UNVERIFIED): the answer's fields beyond access_token/expires_in/token_type. source: docs/hubspot-contract.md §1.5
    const issued = issueAppToken(ctx, (form.get('scope') ?? '').split(/\s+/).filter(Boolean));
    return c.json({ token_type: 'bearer', access_token: issued.token, expires_in: issued.expiresIn, scopes: issued.scopes });
  }
  if (grant !== 'authorization_code' && grant !== 'refresh_token') {
    // ASSUMPTION (UNVERIFIED): JSON bodies and unknown grants end here (form params missing). source: docs/hubspot-contract.md §1.3
    return oauthError(c, 'unsupported_grant_type', 'BAD_GRANT_TYPE', 'missing or unknown grant type');
  }
  const bad = clientProblem(ctx, c, form);
  if (bad) return bad;

  if (grant === 'authorization_code') {
    const code = ctx.state.authCodes[form.get('code') ?? ''];
    if (!code || code.used || code.expiresAt <= ctx.now() || code.clientId !== ctx.app.clientId || !isInstalled(ctx, code.portalId)) {
      return oauthError(c, 'invalid_grant', 'BAD_AUTH_CODE', 'missing or invalid auth code');
    }
    if (form.get('redirect_uri') !== code.redirectUri) {
      return oauthError(c, 'invalid_grant', 'BAD_REDIRECT_URI', 'redirect_uri does not match the one used to authorize');
    }
    code.used = true;
    const { access } = issueTokenPair(ctx, { portalId: code.portalId, userId: code.userId, scopes: code.scopes });
    return c.json(tokenResponse(ctx, access, version));
  }

  const refresh = ctx.state.refreshTokens[form.get('refresh_token') ?? ''];
  if (!refresh || refresh.revoked || refresh.clientId !== ctx.app.clientId || !isInstalled(ctx, refresh.portalId)) {
    return oauthError(c, 'invalid_grant', 'BAD_REFRESH_TOKEN', 'refresh token is invalid, expired or revoked');
  }
  // ASSUMPTION (UNVERIFIED): refresh tokens do not rotate; the same one comes back. source: docs/hubspot-contract.md §1.2
  return c.json(tokenResponse(ctx, issueAccessToken(ctx, refresh), version));
}

function tokenOwner(ctx: SandboxContext, portalId: number, userId: number) {
  const portal = ctx.state.portals[String(portalId)];
  return { user: portal?.users[String(userId)]?.email ?? '', hub_domain: portal?.domain ?? '' };
}

const activeAccess = (ctx: SandboxContext, token: string): AccessTokenRecord | undefined => {
  const check = checkBearer(ctx, `Bearer ${token}`);
  return check.ok && check.kind === 'oauth' ? ctx.state.accessTokens[token] : undefined;
};
const activeRefresh = (ctx: SandboxContext, token: string): RefreshTokenRecord | undefined => {
  const r = ctx.state.refreshTokens[token];
  return r && !r.revoked && isInstalled(ctx, r.portalId) ? r : undefined;
};

// ASSUMPTION (UNVERIFIED): unknown/expired/revoked tokens on the metadata endpoints answer 404 with this body. source: docs/hubspot-contract.md §1.4
const tokenNotFound = (c: Context) => hsError(c, 404, 'OBJECT_NOT_FOUND', 'Token not found');

export function oauthRoutes(ctx: SandboxContext): Hono<ContractEnv> {
  const r = new Hono<ContractEnv>();
  serve(r, ctx, 'oauth.v1.token', (c) => tokenEndpoint(ctx, c, 'v1'));
  serve(r, ctx, 'oauth.token', (c) => tokenEndpoint(ctx, c, '2026-03'));

  serve(r, ctx, 'oauth.v1.accessToken', (c) => {
    const access = activeAccess(ctx, pathParam(c, 'token'));
    if (!access) return tokenNotFound(c);
    const expiresIn = Math.max(0, Math.floor((access.expiresAt - ctx.now()) / 1000));
    return c.json({
      token: access.token,
      ...tokenOwner(ctx, access.portalId, access.userId),
      scopes: access.scopes,
      signed_access_token: {
        expiresAt: access.expiresAt, scopes: '', hubId: access.portalId, userId: access.userId, appId: ctx.app.appId,
        signature: '', scopeToScopeGroupPks: '', newSignature: '', hublet: 'na1', trialScopes: '', trialScopeToScopeGroupPks: '', isUserLevel: false,
      },
      hub_id: access.portalId,
      app_id: ctx.app.appId,
      expires_in: expiresIn,
      user_id: access.userId,
      token_type: 'access',
    });
  });

  serve(r, ctx, 'oauth.v1.refreshToken', (c) => {
    const refresh = activeRefresh(ctx, pathParam(c, 'token'));
    if (!refresh) return tokenNotFound(c);
    return c.json({
      token: refresh.token,
      ...tokenOwner(ctx, refresh.portalId, refresh.userId),
      scopes: refresh.scopes,
      hub_id: refresh.portalId,
      client_id: refresh.clientId,
      user_id: refresh.userId,
      // ASSUMPTION (UNVERIFIED): token_type value "refresh". source: docs/hubspot-contract.md §1.4
      token_type: 'refresh',
    });
  });

  // "This will only delete the refresh token. Access tokens generated with it will not be affected." (docs/hubspot-contract.md §1.4)
  serve(r, ctx, 'oauth.v1.deleteRefreshToken', (c) => {
    const refresh = activeRefresh(ctx, pathParam(c, 'token'));
    if (!refresh) return tokenNotFound(c);
    refresh.revoked = true;
    return c.body(null, 204);
  });

  // The 2026-03 introspection answer: PublicAccessTokenInfoResponse / PublicRefreshTokenInfoResponse of the OAuth
  // spec (contract/operations.ts), `{active: false}` for a token HubSpot does not know (RFC 7662).
  // ASSUMPTION (UNVERIFIED): the inactive answer is only `{active: false}`; the spec does not show it.
  serve(r, ctx, 'oauth.introspect', async (c) => {
    const form = await readForm(c);
    const bad = clientProblem(ctx, c, form);
    if (bad) return bad;
    const token = form.get('token') ?? '';
    const hint = form.get('token_type_hint');
    const access = activeAccess(ctx, token);
    const refresh = activeRefresh(ctx, token);
    const found = hint === 'refresh_token' ? (refresh ?? access) : (access ?? refresh);
    if (!found) return c.json({ active: false });
    const isAccess = found === access;
    const common = {
      active: true,
      token,
      client_id: ctx.app.clientId,
      app_id: ctx.app.appId,
      hub_id: found.portalId,
      ...tokenOwner(ctx, found.portalId, found.userId),
      user_id: found.userId,
      scopes: found.scopes,
      token_type: 'bearer',
    };
    if (!isAccess) return c.json({ ...common, token_use: 'refresh_token' });
    const expiresAt = (found as AccessTokenRecord).expiresAt;
    return c.json({
      ...common,
      token_use: 'access_token',
      expires_in: Math.max(0, Math.floor((expiresAt - ctx.now()) / 1000)),
      is_private_distribution: false,
      signed_access_token: {
        expiresAt, scopes: '', hubId: found.portalId, userId: found.userId, appId: ctx.app.appId, signature: '',
        scopeToScopeGroupPks: '', newSignature: '', hublet: 'na1', trialScopes: '', trialScopeToScopeGroupPks: '',
        isUserLevel: false, isServiceAccount: false, isPrivateDistribution: false, installingUserId: found.userId,
        appInstallId: found.portalId, audience: ctx.app.clientId,
      },
    });
  });

  // RFC 7009: always 200, even for unknown tokens.
  serve(r, ctx, 'oauth.revoke', async (c) => {
    const form = await readForm(c);
    const bad = clientProblem(ctx, c, form);
    if (bad) return bad;
    const token = form.get('token') ?? '';
    const refresh = ctx.state.refreshTokens[token];
    if (refresh) refresh.revoked = true;
    const access = ctx.state.accessTokens[token];
    if (access) access.revoked = true;
    return c.body(null, 200);
  });
  return r;
}
