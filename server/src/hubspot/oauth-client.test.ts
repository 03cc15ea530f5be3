// The OAuth adapter against the local HubSpot sandbox, for both endpoint generations.
import { describe, expect, it } from 'vitest';
import { useListeningSandbox } from '../../../test/support/listening-sandbox';
import { HUBSPOT_REQUIRED_SCOPES } from '../connect/scopes';
import { buildAuthorizeUrl } from './authorize-url';
import { createHubSpotOAuthClient, type OAuthEndpointVersion } from './oauth-client';
import { HubSpotOAuthError } from './oauth-error';

const PORTAL = 62515; // the sandbox's seeded demo portal
const USER = 9586504;
const REDIRECT = 'http://127.0.0.1:9/oauth/callback';
const SCOPES = [...HUBSPOT_REQUIRED_SCOPES];

const hs = useListeningSandbox({ app: { redirectUris: [REDIRECT] } });

const clientFor = (version: OAuthEndpointVersion, overrides: { clientSecret?: string; timeoutMs?: number } = {}) =>
  createHubSpotOAuthClient({ baseUrl: hs.url, clientId: hs.sandbox.appCredentials.clientId, clientSecret: hs.sandbox.appCredentials.clientSecret, version, ...overrides });

/** Walks the consent screen: the install URL must be accepted, then "Connect app" yields a code. */
async function authorize(state = 'st-1'): Promise<string> {
  const url = buildAuthorizeUrl({ authorizeUrl: `${hs.url}/oauth/authorize`, clientId: hs.sandbox.appCredentials.clientId, redirectUri: REDIRECT, scopes: SCOPES, state });
  expect((await fetch(url)).status).toBe(200);
  const form = new URLSearchParams({
    client_id: hs.sandbox.appCredentials.clientId, redirect_uri: REDIRECT, scope: SCOPES.join(' '), state, decision: 'approve', portal: String(PORTAL), user: String(USER),
  });
  const res = await fetch(`${hs.url}/oauth/authorize`, { method: 'POST', body: form, redirect: 'manual', headers: { 'Content-Type': 'application/x-www-form-urlencoded' } });
  const location = new URL(res.headers.get('location') ?? '');
  expect(location.searchParams.get('state')).toBe(state);
  return location.searchParams.get('code') ?? '';
}

async function rejection(promise: Promise<unknown>): Promise<HubSpotOAuthError> {
  const error = await promise.then(() => undefined, (e: unknown) => e);
  expect(error).toBeInstanceOf(HubSpotOAuthError);
  return error as HubSpotOAuthError;
}

describe.each(['2026-03', 'v1'] as const)('HubSpot OAuth client, endpoints %s', (version) => {
  it('exchanges a code and learns the portal from the token metadata', async () => {
    const oauth = clientFor(version);
    const tokens = await oauth.exchangeCode({ code: await authorize(), redirectUri: REDIRECT });
    expect(tokens).toMatchObject({ tokenType: 'bearer', expiresInSeconds: 1800 });
    expect(tokens.accessToken).not.toBe('');
    expect(tokens.refreshToken).not.toBe('');
    const info = await oauth.getAccessTokenInfo(tokens.accessToken);
    expect(info).toMatchObject({ hubId: PORTAL, userId: USER, userEmail: 'jane.agent@example.com', appId: hs.sandbox.appCredentials.appId });
    expect(info.scopes).toEqual(expect.arrayContaining(SCOPES));
    expect(info.expiresInSeconds).toBeGreaterThan(1700);
  });

  it('refuses a used code (invalid_grant BAD_AUTH_CODE) and a mismatched redirect (bad_redirect_uri)', async () => {
    const oauth = clientFor(version);
    const code = await authorize();
    const mismatch = await rejection(oauth.exchangeCode({ code, redirectUri: 'http://127.0.0.1:9/elsewhere' }));
    expect(mismatch).toMatchObject({ kind: 'bad_redirect_uri', status: 400, hubspotStatus: 'BAD_REDIRECT_URI' });
    await oauth.exchangeCode({ code, redirectUri: REDIRECT });
    const reused = await rejection(oauth.exchangeCode({ code, redirectUri: REDIRECT }));
    expect(reused).toMatchObject({ kind: 'invalid_grant', status: 400, hubspotStatus: 'BAD_AUTH_CODE' });
    expect(reused.correlationId).toEqual(expect.any(String));
    expect(reused.message).not.toContain(code);
  });

  it('refreshes: a new access token, the refresh token kept', async () => {
    const oauth = clientFor(version);
    const first = await oauth.exchangeCode({ code: await authorize(), redirectUri: REDIRECT });
    const second = await oauth.refresh(first.refreshToken);
    expect(second.accessToken).not.toBe(first.accessToken);
    expect(second.refreshToken).toBe(first.refreshToken);
    expect((await oauth.getAccessTokenInfo(second.accessToken)).hubId).toBe(PORTAL);
  });

  it('turns an unknown refresh token into invalid_grant BAD_REFRESH_TOKEN, without echoing it', async () => {
    const bogus = '7f0c2d3e-0000-4000-8000-bogusrefresh';
    const error = await rejection(clientFor(version).refresh(bogus));
    expect(error).toMatchObject({ kind: 'invalid_grant', status: 400, hubspotStatus: 'BAD_REFRESH_TOKEN', isTransient: false });
    expect(JSON.stringify(error)).not.toContain(bogus);
  });

  it('reports a wrong client secret as invalid_client, without the secret', async () => {
    const secret = 'definitely-not-the-secret';
    const { refreshToken } = hs.sandbox.control.installApp({ portalId: PORTAL });
    const error = await rejection(clientFor(version, { clientSecret: secret }).refresh(refreshToken));
    expect(error).toMatchObject({ kind: 'invalid_client', hubspotStatus: 'BAD_CLIENT_ID' });
    expect(error.message).not.toContain(secret);
    expect(error.message).not.toContain(refreshToken);
  });

  it('introspects refresh and access tokens; an unknown token is inactive', async () => {
    const oauth = clientFor(version);
    const { accessToken, refreshToken } = hs.sandbox.control.installApp({ portalId: PORTAL });
    expect(await oauth.introspect(refreshToken, 'refresh_token')).toMatchObject({ active: true, hubId: PORTAL, userId: USER });
    expect(await oauth.introspect(accessToken, 'access_token')).toMatchObject({ active: true, hubId: PORTAL });
    expect(await oauth.introspect('not-a-token-at-all', 'access_token')).toEqual({ active: false, scopes: [] });
    const inactive = await rejection(oauth.getAccessTokenInfo('not-a-token-at-all'));
    expect(inactive.kind).toBe('invalid_grant');
  });

  it('revokes a refresh token (refresh then fails), idempotently', async () => {
    const oauth = clientFor(version);
    const { refreshToken } = hs.sandbox.control.installApp({ portalId: PORTAL });
    expect(await oauth.revoke(refreshToken)).toEqual({ alreadyRevoked: false });
    expect((await rejection(oauth.refresh(refreshToken))).kind).toBe('invalid_grant');
    // v1 answers 404 for a token it no longer knows; 2026-03 follows RFC 7009 (always 200).
    expect(await oauth.revoke(refreshToken)).toEqual({ alreadyRevoked: version === 'v1' });
  });

  it('classifies 5xx and timeouts as transient', async () => {
    const { refreshToken } = hs.sandbox.control.installApp({ portalId: PORTAL });
    hs.sandbox.control.addFault({ pathPrefix: '/oauth', status: 503, count: 1 });
    expect(await rejection(clientFor(version).refresh(refreshToken))).toMatchObject({ kind: 'transient', status: 503, isTransient: true });
    hs.sandbox.control.addFault({ pathPrefix: '/oauth', delayMs: 1_000, count: 1 });
    const slow = await rejection(clientFor(version, { timeoutMs: 100 }).refresh(refreshToken));
    expect(slow).toMatchObject({ kind: 'transient', status: 0, message: 'HubSpot OAuth refresh failed: timed out' });
  });
});

describe('install URL against the sandbox consent screen', () => {
  it('is refused when a required scope is missing', async () => {
    const url = buildAuthorizeUrl({ authorizeUrl: `${hs.url}/oauth/authorize`, clientId: hs.sandbox.appCredentials.clientId, redirectUri: REDIRECT, scopes: ['oauth'], state: 's' });
    expect((await fetch(url)).status).toBe(400);
  });
});
