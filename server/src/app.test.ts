import { createHash } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createApp, MAX_BODY_BYTES } from './app';
import { AppError } from './errors';
import { createTestDeps, type TestDeps } from '../testing/test-deps';
import { LAYOUT_STYLE_HASH } from './views/layout';

let deps: TestDeps;
let app: ReturnType<typeof createApp>;
beforeEach(() => {
  deps = createTestDeps();
  app = createApp(deps);
});
afterEach(() => deps.cleanup());

describe('createApp', () => {
  it('answers GET /healthz after asking the database', async () => {
    const res = await app.request('/healthz');
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ok' });
    expect(res.headers.get('x-request-id')).toMatch(/^[\w-]+$/);
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
  });

  it('answers 503 JSON when the database does not answer', async () => {
    await deps.store.close();
    const res = await app.request('/healthz');
    expect(res.status).toBe(503);
    expect(await res.json()).toEqual({ error: { code: 'unavailable', message: 'The database is not answering' } });
  });

  it('answers unknown routes with 404 JSON', async () => {
    const res = await app.request('/nope?code=secret', { method: 'POST' });
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({ error: { code: 'not_found', message: 'No route for POST /nope' } });
  });

  it('answers webhooks with 503 JSON while no HubSpot app is configured (nothing to verify signatures with)', async () => {
    const res = await app.request('/hubspot/webhooks', { method: 'POST', body: '[]' });
    expect(res.status).toBe(503);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    expect(await res.json()).toEqual({ error: { code: 'unavailable', message: 'HubSpot app credentials are not configured' } });
  });

  it('answers an unknown workflow action with 404', async () => {
    expect((await app.request('/hubspot/actions/delete-everything', { method: 'POST' })).status).toBe(404);
  });

  it('answers the settings page with an HTML sign-in page (401) when nobody is signed in', async () => {
    const res = await app.request('/settings/integrations/hubspot');
    expect(res.status).toBe(401);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    expect(await res.text()).toContain('data-error-code="sign_in_required"');
  });

  it('sends a strict Content-Security-Policy with its pages: no script, its own inline sheet by hash, forms to itself and HubSpot', async () => {
    const res = await app.request('/settings/integrations/hubspot');
    const csp = res.headers.get('content-security-policy') ?? '';
    const directives = Object.fromEntries(csp.split(';').map((d) => d.trim().split(/\s+/)).map(([name, ...values]) => [name, values]));
    expect(directives).toEqual({
      'default-src': ["'none'"],
      'style-src': [`'${LAYOUT_STYLE_HASH}'`],
      'form-action': ["'self'", 'https://app.hubspot.com'],
      'frame-ancestors': ["'none'"],
      'base-uri': ["'none'"],
    });
    expect(csp).not.toContain('unsafe');
    // The hash is the sheet's as sent: the page holds exactly one style element, and no style attribute.
    const html = await res.text();
    const sheet = /<style>([\s\S]*?)<\/style>/.exec(html)?.[1] ?? '';
    expect(`sha256-${createHash('sha256').update(sheet).digest('base64')}`).toBe(LAYOUT_STYLE_HASH);
    expect(html.match(/<style/g)).toHaveLength(1);
    expect(html).not.toMatch(/\sstyle=/);
  });

  it('refuses a body over the limit with 413 JSON, with or without a content-length', async () => {
    const big = 'x'.repeat(MAX_BODY_BYTES + 1);
    const declared = await app.request('/hubspot/webhooks', { method: 'POST', body: big, headers: { 'content-length': String(big.length) } });
    expect(declared.status).toBe(413);
    expect(await declared.json()).toEqual({ error: { code: 'payload_too_large', message: expect.any(String) } });

    const streamed = await app.request('/hubspot/webhooks', {
      method: 'POST',
      body: new Blob([big]).stream(),
      // Node's fetch needs `duplex` to send a streamed body (no content-length: the limit counts bytes as they come).
      duplex: 'half',
    });
    expect(streamed.status).toBe(413);
  });

  it('maps an AppError thrown by any route through the one mapper, and hides unexpected errors', async () => {
    app.get('/test/conflict', () => {
      throw new AppError('reconnect_required', 'Reconnect HubSpot in the settings');
    });
    app.get('/test/crash', () => {
      throw new Error('SELECT * FROM hubspot_connections -- leaked internals');
    });
    const conflict = await app.request('/test/conflict');
    expect(conflict.status).toBe(409);
    expect(await conflict.json()).toEqual({ error: { code: 'reconnect_required', message: 'Reconnect HubSpot in the settings' } });

    const crash = await app.request('/test/crash');
    expect(crash.status).toBe(500);
    const text = await crash.text();
    expect(JSON.parse(text)).toEqual({ error: { code: 'internal', message: 'Internal server error' } });
    expect(text).not.toContain('SELECT');
  });
});
