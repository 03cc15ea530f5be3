import { createHash, createHmac } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { createApp } from '../app';
import { createTestDeps, TEST_NOW, type TestDeps } from '../../testing/test-deps';
import { verifyHubSpotRequest } from './verify-hubspot';

const SECRET = 'test-client-secret';
const BASE = 'https://opencx.example.com';
const v3 = (method: string, url: string, body: string, ts: number) =>
  createHmac('sha256', SECRET).update(method + url + body + ts).digest('base64');
/** v3 over bytes, as HubSpot signs what it sends. */
const v3Bytes = (url: string, body: Uint8Array, ts: number) =>
  createHmac('sha256', SECRET).update(`POST${url}`).update(body).update(String(ts)).digest('base64');
const v2 = (method: string, url: string, body: string) =>
  createHash('sha256').update(SECRET + method + url + body).digest('hex');

describe('verifyHubSpotRequest', () => {
  let deps: TestDeps;
  afterEach(async () => deps.cleanup());

  const appWith = (allowV2Fallback: boolean) => {
    deps = createTestDeps({
      env: { PUBLIC_BASE_URL: BASE, HUBSPOT_CLIENT_ID: 'cid', HUBSPOT_CLIENT_SECRET: SECRET, HUBSPOT_APP_ID: '7' },
    });
    // The real app, so that refusals go through its one error mapper.
    const app = createApp(deps);
    app.post('/hook', verifyHubSpotRequest(deps, { allowV2Fallback }), (c) => c.json({ body: c.var.rawBody }));
    return app;
  };
  const body = '[{"eventId":1,"text":"Grüße"}]';

  it('accepts a v3 signature over PUBLIC_BASE_URL, the raw body and the timestamp, and hands over the raw body', async () => {
    const app = appWith(false);
    const res = await app.request('/hook?x=1', {
      method: 'POST',
      body,
      headers: { 'x-hubspot-signature-v3': v3('POST', `${BASE}/hook?x=1`, body, TEST_NOW), 'x-hubspot-request-timestamp': String(TEST_NOW) },
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ body });
  });

  it.each([
    ['no signature', {}, 'invalid_signature'],
    ['a signature over another URL', { 'x-hubspot-signature-v3': v3('POST', 'http://localhost/hook', body, TEST_NOW), 'x-hubspot-request-timestamp': String(TEST_NOW) }, 'invalid_signature'],
    ['a stale timestamp', { 'x-hubspot-signature-v3': v3('POST', `${BASE}/hook`, body, TEST_NOW - 301_000), 'x-hubspot-request-timestamp': String(TEST_NOW - 301_000) }, 'stale_timestamp'],
    ['a future timestamp', { 'x-hubspot-signature-v3': v3('POST', `${BASE}/hook`, body, TEST_NOW + 301_000), 'x-hubspot-request-timestamp': String(TEST_NOW + 301_000) }, 'stale_timestamp'],
    ['a v2 signature where v3 is required', { 'x-hubspot-signature': v2('POST', `${BASE}/hook`, body), 'x-hubspot-signature-version': 'v2' }, 'invalid_signature'],
  ])('refuses %s with a 401 JSON error', async (_name, headers, code) => {
    const app = appWith(false);
    const res = await app.request('/hook', { method: 'POST', body, headers });
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({ error: { code } });
  });

  it('falls back to v2 where allowed (workflow actions), and still refuses a wrong v2', async () => {
    const app = appWith(true);
    const ok = await app.request('/hook', {
      method: 'POST',
      body,
      headers: { 'x-hubspot-signature': v2('POST', `${BASE}/hook`, body), 'x-hubspot-signature-version': 'v2' },
    });
    expect(ok.status).toBe(200);
    const bad = await app.request('/hook', {
      method: 'POST',
      body: body + ' ',
      headers: { 'x-hubspot-signature': v2('POST', `${BASE}/hook`, body), 'x-hubspot-signature-version': 'v2' },
    });
    expect(bad.status).toBe(401);
  });

  describe('checks the bytes received, not their decoded text', () => {
    const json = Buffer.from('[{"eventId":1,"text":"caf\u00e9"}]', 'utf8');
    // "café" with its é cut to one byte: not UTF-8. Decoded leniently it reads "caf\uFFFD".
    const invalidUtf8 = Buffer.concat([json.subarray(0, json.indexOf(0xc3)), Buffer.from([0xc3]), json.subarray(json.indexOf(0xc3) + 2)]);
    const withBom = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), json]);
    const send = (body: Uint8Array, signature: string) =>
      appWith(false).request('/hook', {
        method: 'POST',
        body: new Uint8Array(body),
        headers: { 'x-hubspot-signature-v3': signature, 'x-hubspot-request-timestamp': String(TEST_NOW) },
      });

    it('refuses invalid UTF-8 signed over its replacement-character text', async () => {
      const replaced = new TextDecoder().decode(invalidUtf8);
      expect(replaced).toContain('\uFFFD');
      const res = await send(invalidUtf8, v3('POST', `${BASE}/hook`, replaced, TEST_NOW));
      expect(res.status).toBe(401);
      expect(await res.json()).toMatchObject({ error: { code: 'invalid_signature' } });
    });

    it('takes invalid UTF-8 signed over its bytes past the signature, then refuses it as not UTF-8 (400)', async () => {
      const res = await send(invalidUtf8, v3Bytes(`${BASE}/hook`, invalidUtf8, TEST_NOW));
      expect(res.status).toBe(400);
      expect(await res.json()).toEqual({ error: { code: 'invalid_json', message: 'The request body is not valid UTF-8' } });
    });

    it('refuses a body with a leading BOM signed without it, and keeps the BOM of one signed with it', async () => {
      const withoutBom = await send(withBom, v3Bytes(`${BASE}/hook`, json, TEST_NOW));
      expect(withoutBom.status).toBe(401);
      const signedWithBom = await send(withBom, v3Bytes(`${BASE}/hook`, withBom, TEST_NOW));
      expect(signedWithBom.status).toBe(200);
      expect(((await signedWithBom.json()) as { body: string }).body).toBe(`\uFEFF${json.toString('utf8')}`);
    });
  });

  it('answers 503 when the server has no HubSpot app credentials', async () => {
    deps = createTestDeps();
    const app = createApp(deps);
    app.post('/probe', verifyHubSpotRequest(deps, { allowV2Fallback: false }), (c) => c.text('no'));
    const res = await app.request('/probe', { method: 'POST', body });
    expect(res.status).toBe(503);
  });
});
