import { describe, expect, it } from 'vitest';
import { buildAuthorizeUrl } from './authorize-url';
import { toOAuthError, toOAuthNetworkError } from './oauth-error';
import { parseIntrospection } from './oauth-metadata';

describe('buildAuthorizeUrl', () => {
  const input = {
    authorizeUrl: 'https://app.hubspot.com/oauth/authorize',
    clientId: 'client-1',
    redirectUri: 'https://app.example.com/oauth/callback?x=1',
    scopes: ['oauth', 'tickets', 'tickets'],
    optionalScopes: ['automation', 'tickets'],
    state: 's t&a=te',
  };

  it('space-separates scopes (%20), adds optional_scope and state, encodes every value', () => {
    expect(buildAuthorizeUrl(input)).toBe(
      'https://app.hubspot.com/oauth/authorize?client_id=client-1' +
        '&redirect_uri=https%3A%2F%2Fapp.example.com%2Foauth%2Fcallback%3Fx%3D1' +
        '&scope=oauth%20tickets&optional_scope=automation&state=s%20t%26a%3Dte',
    );
  });

  it('parses like the SDK\'s getAuthorizationUrl would produce', () => {
    const url = new URL(buildAuthorizeUrl(input));
    expect(Object.fromEntries(url.searchParams)).toEqual({
      client_id: 'client-1', redirect_uri: input.redirectUri, scope: 'oauth tickets', optional_scope: 'automation', state: 's t&a=te',
    });
  });

  it('omits optional_scope when there is none, and keeps a query already on the configured URL', () => {
    const url = buildAuthorizeUrl({ ...input, authorizeUrl: 'http://127.0.0.1:4010/oauth/authorize?hub=1', optionalScopes: [] });
    expect(url.startsWith('http://127.0.0.1:4010/oauth/authorize?hub=1&client_id=')).toBe(true);
    expect(url).not.toContain('optional_scope');
  });

  it('needs a required scope', () => {
    expect(() => buildAuthorizeUrl({ ...input, scopes: [] })).toThrow(TypeError);
  });
});

describe('toOAuthError', () => {
  const body = (error: string, status: string) => JSON.stringify({ error, error_description: 'd', status, message: 'd', correlationId: 'corr-1' });

  it.each([
    [400, body('invalid_grant', 'BAD_REFRESH_TOKEN'), 'invalid_grant', 'BAD_REFRESH_TOKEN'],
    [400, body('invalid_grant', 'BAD_AUTH_CODE'), 'invalid_grant', 'BAD_AUTH_CODE'],
    [400, body('invalid_grant', 'BAD_REDIRECT_URI'), 'bad_redirect_uri', 'BAD_REDIRECT_URI'],
    [400, body('invalid_client', 'BAD_CLIENT_ID'), 'invalid_client', 'BAD_CLIENT_ID'],
    [401, '{}', 'invalid_client', undefined],
    [400, body('unsupported_grant_type', 'BAD_GRANT_TYPE'), 'unexpected', 'BAD_GRANT_TYPE'],
    [429, '{}', 'transient', undefined],
    [502, '<html>bad gateway</html>', 'transient', undefined],
  ] as const)('%i %s → %s', (status, text, kind, hubspotStatus) => {
    expect(toOAuthError('refresh', status, text, [])).toMatchObject({ kind, status, hubspotStatus });
  });

  it('keeps the correlation id and scrubs secrets and tokens from the message', () => {
    const text = JSON.stringify({ error: 'invalid_grant', error_description: 'unknown refresh token rt-0123456789 for client sec-ret-value', status: 'BAD_REFRESH_TOKEN', correlationId: 'corr-9' });
    const error = toOAuthError('refresh', 400, text, ['rt-0123456789', 'sec-ret-value']);
    expect(error.correlationId).toBe('corr-9');
    expect(error.message).not.toContain('rt-0123456789');
    expect(error.message).not.toContain('sec-ret-value');
  });

  it('network errors are transient with status 0 and no URL', () => {
    const timeout = Object.assign(new Error('The operation was aborted due to timeout'), { name: 'TimeoutError' });
    expect(toOAuthNetworkError('refresh', timeout)).toMatchObject({ kind: 'transient', status: 0, message: 'HubSpot OAuth refresh failed: timed out' });
  });
});

describe('parseIntrospection', () => {
  it('reads RFC 7662 names (space-separated scope, exp in seconds)', () => {
    const now = 1_764_000_000_000;
    expect(parseIntrospection({ active: true, scope: 'oauth tickets', exp: now / 1000 + 600, hubId: 62515 }, now))
      .toEqual({ active: true, scopes: ['oauth', 'tickets'], expiresInSeconds: 600, hubId: 62515 });
  });

  it('reads the v1 shape, falling back to signed_access_token ids', () => {
    expect(parseIntrospection({ user: 'a@b.c', scopes: ['oauth'], signed_access_token: { hubId: 7, userId: 8, appId: 9 }, expires_in: 10 }, 0))
      .toMatchObject({ active: true, hubId: 7, userId: 8, appId: 9, userEmail: 'a@b.c', expiresInSeconds: 10 });
  });
});
