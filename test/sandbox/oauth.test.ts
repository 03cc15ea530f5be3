import { Client } from '@hubspot/api-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authorizeInBrowser, bearer, createSandbox, makeProjectDir, REDIRECT_PATH, startHarness, type Harness } from './test-kit';

let h: Harness;
let redirectUri: string;
const form = (fields: Record<string, string>) => ({
  method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(fields).toString(),
});

beforeAll(async () => {
  h = await startHarness();
  redirectUri = `${h.receiver.url}${REDIRECT_PATH}`;
});
afterAll(() => h.close());

async function installAndExchange() {
  const { clientId, clientSecret } = h.sandbox.appCredentials;
  const { location } = await authorizeInBrowser({ sandboxUrl: h.url, clientId, redirectUri, state: 'st-1' });
  const client = new Client({ basePath: h.url });
  const tokens = await client.oauth.tokensApi.create('authorization_code', location.searchParams.get('code')!, redirectUri, clientId, clientSecret);
  return { tokens, client, location };
}

describe('consent screen', () => {
  it('shows app name, scopes, account picker and the two buttons', async () => {
    const { page, location } = await authorizeInBrowser({
      sandboxUrl: h.url, clientId: h.sandbox.appCredentials.clientId, redirectUri, state: 'xyz', optionalScopes: ['crm.objects.contacts.write'],
    });
    for (const id of ['consent-approve', 'consent-deny', 'consent-portal', 'consent-app-name']) expect(page).toContain(`id="${id}"`);
    expect(page).toContain('Fixture App');
    expect(page.match(/class="consent-scope"/g)).toHaveLength(8);
    expect(location.origin + location.pathname).toBe(redirectUri);
    expect(location.searchParams.get('state')).toBe('xyz');
    expect(location.searchParams.get('code')).toMatch(/.+/);
    expect(h.sandbox.state.portals['62515']!.install).toMatchObject({ active: true, userId: 9586504 });
    expect(h.sandbox.state.portals['62515']!.install!.scopes).toContain('crm.objects.contacts.write');
  });

  it('Deny redirects with error=access_denied and the state', async () => {
    const { location } = await authorizeInBrowser({ sandboxUrl: h.url, clientId: h.sandbox.appCredentials.clientId, redirectUri, state: 's2', decision: 'deny' });
    expect(location.searchParams.get('error')).toBe('access_denied');
    expect(location.searchParams.get('error_description')).toBeTruthy();
    expect(location.searchParams.get('state')).toBe('s2');
    expect(location.searchParams.get('code')).toBeNull();
  });

  it('unknown client_id, unregistered redirect_uri and scope mismatch get a 400 HTML page', async () => {
    const scope = 'oauth tickets conversations.read conversations.write crm.objects.owners.read crm.objects.contacts.read automation';
    const go = (q: Record<string, string>) => fetch(`${h.url}/oauth/authorize?${new URLSearchParams(q)}`);
    const unknown = await go({ client_id: 'nope', redirect_uri: redirectUri, scope });
    expect(unknown.status).toBe(400);
    expect(unknown.headers.get('content-type')).toContain('text/html');
    expect((await go({ client_id: h.sandbox.appCredentials.clientId, redirect_uri: 'https://evil.test/cb', scope })).status).toBe(400);
    expect((await go({ client_id: h.sandbox.appCredentials.clientId, redirect_uri: redirectUri, scope: 'oauth tickets' })).status).toBe(400);
  });
});

describe('token endpoints', () => {
  it('exchanges a code with @hubspot/api-client and returns the v1 token shape', async () => {
    const { tokens } = await installAndExchange();
    expect(tokens.tokenType).toBe('bearer');
    expect(tokens.expiresIn).toBe(1800);
    expect(tokens.accessToken).toMatch(/^C/);
    expect(tokens.refreshToken).toMatch(/.+/);
  });

  it('codes are single-use and bound to their redirect_uri', async () => {
    const { clientId, clientSecret } = h.sandbox.appCredentials;
    const { location } = await authorizeInBrowser({ sandboxUrl: h.url, clientId, redirectUri });
    const code = location.searchParams.get('code')!;
    const wrongRedirect = await fetch(`${h.url}/oauth/v1/token`, form({ grant_type: 'authorization_code', client_id: clientId, client_secret: clientSecret, redirect_uri: `${redirectUri}x`, code }));
    expect(wrongRedirect.status).toBe(400);
    expect(await wrongRedirect.json()).toMatchObject({ error: 'invalid_grant', status: 'BAD_REDIRECT_URI', correlationId: expect.any(String) });
    const ok = await fetch(`${h.url}/oauth/v1/token`, form({ grant_type: 'authorization_code', client_id: clientId, client_secret: clientSecret, redirect_uri: redirectUri, code }));
    expect(ok.status).toBe(200);
    const reused = await fetch(`${h.url}/oauth/v1/token`, form({ grant_type: 'authorization_code', client_id: clientId, client_secret: clientSecret, redirect_uri: redirectUri, code }));
    expect(await reused.json()).toMatchObject({ error: 'invalid_grant', error_description: expect.any(String), status: 'BAD_AUTH_CODE', message: expect.any(String) });
  });

  it('rejects a bad client, JSON bodies and unknown refresh tokens with HubSpot error bodies', async () => {
    const { clientId, clientSecret } = h.sandbox.appCredentials;
    const bad = await fetch(`${h.url}/oauth/v1/token`, form({ grant_type: 'refresh_token', client_id: 'x', client_secret: clientSecret, refresh_token: 'r' }));
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ error: 'invalid_client', status: 'BAD_CLIENT_ID' });
    const json = await fetch(`${h.url}/oauth/v1/token`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ grant_type: 'refresh_token' }) });
    expect(json.status).toBe(400);
    const client = new Client({ basePath: h.url });
    await expect(client.oauth.tokensApi.create('refresh_token', undefined, undefined, clientId, clientSecret, 'unknown')).rejects.toMatchObject({
      code: 400, body: { error: 'invalid_grant', status: 'BAD_REFRESH_TOKEN' },
    });
  });

  it('refresh returns a new access token and the same refresh token; 2026-03 adds hub_id', async () => {
    const { tokens } = await installAndExchange();
    const { clientId, clientSecret } = h.sandbox.appCredentials;
    const res = await fetch(`${h.url}/oauth/2026-03/token`, form({ grant_type: 'refresh_token', client_id: clientId, client_secret: clientSecret, refresh_token: tokens.refreshToken }));
    const body = await res.json() as Record<string, unknown>;
    expect(body).toMatchObject({ token_type: 'bearer', refresh_token: tokens.refreshToken, expires_in: 1800, hub_id: 62515, user_id: 9586504 });
    expect(body['access_token']).not.toBe(tokens.accessToken);
  });

  it('token metadata, introspection and revocation', async () => {
    const { tokens, client } = await installAndExchange();
    const { clientId, clientSecret } = h.sandbox.appCredentials;
    const info = await client.oauth.accessTokensApi.get(tokens.accessToken);
    expect(info).toMatchObject({ hubId: 62515, userId: 9586504, appId: 1160452, tokenType: 'access', user: 'jane.agent@example.com', token: tokens.accessToken });
    expect(info.scopes).toContain('tickets');
    const raw = await (await fetch(`${h.url}/oauth/v1/access-tokens/${tokens.accessToken}`)).json() as Record<string, unknown>;
    expect(Object.keys(raw)).toEqual(expect.arrayContaining(['hub_id', 'user', 'user_id', 'app_id', 'scopes', 'expires_in', 'token_type', 'hub_domain', 'token']));
    const refreshInfo = await client.oauth.refreshTokensApi.get(tokens.refreshToken);
    expect(refreshInfo).toMatchObject({ hubId: 62515, clientId, token: tokens.refreshToken });
    expect((await fetch(`${h.url}/oauth/v1/access-tokens/nope`)).status).toBe(404);

    const introspect = (token: string) => fetch(`${h.url}/oauth/2026-03/token/introspect`, form({ client_id: clientId, client_secret: clientSecret, token, token_type_hint: 'access_token' })).then((r) => r.json());
    // The required fields of the 2026-03 spec's PublicAccessTokenInfoResponse.
    expect(await introspect(tokens.accessToken)).toMatchObject({
      active: true, hub_id: 62515, user_id: 9586504, app_id: 1160452, client_id: clientId, token: tokens.accessToken, token_type: 'bearer',
      token_use: 'access_token', expires_in: expect.any(Number), is_private_distribution: false, scopes: expect.arrayContaining(['tickets']),
      signed_access_token: expect.objectContaining({ hubId: 62515 }),
    });
    expect(await introspect(tokens.refreshToken)).toMatchObject({ active: true, token_use: 'refresh_token', hub_id: 62515 });
    expect(await introspect('garbage')).toEqual({ active: false });

    const revoke = await fetch(`${h.url}/oauth/2026-03/token/revoke`, form({ client_id: clientId, client_secret: clientSecret, token: tokens.refreshToken }));
    expect(revoke.status).toBe(200);
    expect(await introspect(tokens.refreshToken)).toEqual({ active: false });
    const again = await installAndExchange();
    expect((await fetch(`${h.url}/oauth/v1/refresh-tokens/${again.tokens.refreshToken}`, { method: 'DELETE' })).status).toBe(204);
    expect((await fetch(`${h.url}/oauth/v1/refresh-tokens/${again.tokens.refreshToken}`)).status).toBe(404);
  });

  it('uninstall invalidates access and refresh tokens', async () => {
    const { tokens } = await installAndExchange();
    const { clientId, clientSecret } = h.sandbox.appCredentials;
    h.sandbox.control.uninstallApp({ portalId: 62515 });
    const api = await fetch(`${h.url}/crm/v3/owners?limit=1`, { headers: bearer(tokens.accessToken) });
    expect(api.status).toBe(401);
    expect(await api.json()).toMatchObject({ status: 'error', category: 'INVALID_AUTHENTICATION', correlationId: expect.any(String) });
    const refresh = await fetch(`${h.url}/oauth/v1/token`, form({ grant_type: 'refresh_token', client_id: clientId, client_secret: clientSecret, refresh_token: tokens.refreshToken }));
    expect(await refresh.json()).toMatchObject({ status: 'BAD_REFRESH_TOKEN' });
  });
});

describe('token lifetime and private app tokens', () => {
  it('access tokens expire after accessTokenTtlSeconds (injectable clock)', async () => {
    let now = 1_800_000_000_000;
    const sandbox = createSandbox({ projectDir: makeProjectDir(), accessTokenTtlSeconds: 60, now: () => now });
    const { accessToken } = sandbox.control.installApp({ portalId: 62515 });
    expect((await sandbox.app.request('/crm/v3/owners', { headers: bearer(accessToken) })).status).toBe(200);
    now += 61_000;
    const expired = await sandbox.app.request('/crm/v3/owners', { headers: bearer(accessToken) });
    expect(expired.status).toBe(401);
    expect(await expired.json()).toMatchObject({ category: 'EXPIRED_AUTHENTICATION' });
    await sandbox.close();
  });

  it('a private app token works for owners and account info but is not an OAuth token', async () => {
    const sandbox = createSandbox({ projectDir: makeProjectDir() });
    const { token } = sandbox.control.createPrivateAppToken({ portalId: 62515 });
    expect(token).toMatch(/^pat-na1-/);
    expect((await sandbox.app.request('/crm/v3/owners?limit=1', { headers: bearer(token) })).status).toBe(200);
    const details = await sandbox.app.request('/account-info/v3/details', { headers: bearer(token) });
    expect(await details.json()).toMatchObject({ portalId: 62515, accountType: expect.any(String), timeZone: expect.any(String), companyCurrency: expect.any(String), uiDomain: expect.any(String), dataHostingLocation: expect.any(String) });
    expect((await sandbox.app.request(`/oauth/v1/access-tokens/${token}`)).status).toBe(404);
    await sandbox.close();
  });
});
