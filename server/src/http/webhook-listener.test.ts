// The Node listener's own duties, over real HTTP: which requests it leaves to the app, the body limit and a body
// cut off, as HubSpot's webhook route answers them in the app (limit-body.ts, read-body.ts). The steps it shares
// with the route (signatures, validation, dedup, takeovers) are tested both ways in routes/webhooks.test.ts.
import { createHmac } from 'node:crypto';
import { once } from 'node:events';
import { createServer, request, type RequestListener, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as fixtures from '@opencx/shared/webhooks/fixtures';
import { afterEach, expect, it } from 'vitest';
import { createTestDeps, TEST_NOW, type TestDeps } from '../../testing/test-deps';
import type { AppDeps } from '../deps';
import { MAX_WEBHOOK_BODY_BYTES } from '../routes/webhooks';
import { answerWebhooksFirst } from './webhook-listener';

const SECRET = 'listener-test-secret';
const BASE = 'https://opencx.example.com';
const body = JSON.stringify([fixtures.newMessage]);
const signed = (text: string | Buffer) => ({
  'x-hubspot-signature-v3': createHmac('sha256', SECRET).update(`POST${BASE}/hubspot/webhooks`).update(text).update(String(TEST_NOW)).digest('base64'),
  'x-hubspot-request-timestamp': String(TEST_NOW),
});

let deps: TestDeps | undefined;
let server: Server | undefined;
afterEach(async () => {
  server?.closeAllConnections();
  if (server) await new Promise((resolve) => server!.close(resolve));
  await deps?.cleanup();
  server = deps = undefined;
});

/** The listener in front of a stand-in for the app, which answers 299 "app" to whatever reaches it. */
async function listen(options: { ready?: boolean; leaveToApp?: boolean; env?: Record<string, string> } = {}) {
  deps = createTestDeps({ env: { PUBLIC_BASE_URL: BASE, HUBSPOT_CLIENT_ID: 'cid', HUBSPOT_CLIENT_SECRET: SECRET, HUBSPOT_APP_ID: '7', ...options.env } });
  const ready: AppDeps = deps;
  const app: RequestListener = (_req, res) => res.writeHead(299, { 'content-type': 'text/plain' }).end('app');
  server = createServer(answerWebhooksFirst({ deps: () => (options.ready === false ? null : ready), leaveToApp: () => options.leaveToApp ?? false, next: app }));
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

const refusals = async () => Object.fromEntries((await deps!.metrics.webhookRequestsRefused.get()).values.map((v) => [v.labels.reason, v.value]));

it('answers signed deliveries itself, query included, and leaves every other request to the app', async () => {
  const url = await listen();
  const delivered = await fetch(`${url}/hubspot/webhooks`, { method: 'POST', body, headers: signed(body) });
  expect(delivered.status).toBe(200);
  expect(delivered.headers.get('content-type')).toBe('application/json');
  expect(await delivered.json()).toEqual({ received: 1, stored: 1 });

  for (const [method, path] of [
    ['GET', '/hubspot/webhooks'],
    ['PUT', '/hubspot/webhooks'],
    ['POST', '/hubspot/webhooks/'],
    ['POST', '/hubspot/webhooks/legacy/abc'],
    ['POST', '/hubspot/webhooksx'],
  ] as const) {
    const res = await fetch(`${url}${path}`, { method, ...(method === 'GET' ? {} : { body }) });
    expect([res.status, await res.text()], `${method} ${path}`).toEqual([299, 'app']);
  }
  expect(await deps!.store.inbox.countByStatus()).toMatchObject({ pending: 1 });
});

it.each([
  ['before the store is open', { ready: false }],
  ['on a connection over its client’s cap', { leaveToApp: true }],
])('leaves deliveries to the app %s', async (_name, options) => {
  const url = await listen(options);
  const res = await fetch(`${url}/hubspot/webhooks`, { method: 'POST', body, headers: signed(body) });
  expect([res.status, await res.text()]).toEqual([299, 'app']);
});

it('refuses a declared oversized body with a 413 before reading it or judging its signature, and closes the connection', async () => {
  const url = await listen();
  const huge = Buffer.alloc(MAX_WEBHOOK_BODY_BYTES + 1, 'x');
  const res = await fetch(`${url}/hubspot/webhooks`, { method: 'POST', body: huge });
  expect(res.status).toBe(413);
  expect(res.headers.get('connection')).toBe('close');
  expect(await res.json()).toMatchObject({ error: { code: 'payload_too_large' } });
  expect(await refusals()).toEqual({ payload_too_large: 1 });
});

it('reads a chunked body under the limit (and stores it when signed), and refuses one over it with a 413', async () => {
  const url = await listen();
  const chunked = (parts: Uint8Array[], headers: Record<string, string>) =>
    fetch(`${url}/hubspot/webhooks`, {
      method: 'POST',
      headers,
      body: (async function* () {
        yield* parts;
      })() as unknown as ReadableStream,
      duplex: 'half',
    } as RequestInit);
  const bytes = Buffer.from(body);
  const small = await chunked([bytes.subarray(0, 10), bytes.subarray(10)], signed(body));
  expect(small.status).toBe(200);
  expect(await small.json()).toEqual({ received: 1, stored: 1 });

  const big = await chunked(Array.from({ length: 17 }, () => new Uint8Array(64 * 1024).fill(120)), signed('x'));
  expect(big.status).toBe(413);
  expect(await big.json()).toMatchObject({ error: { code: 'payload_too_large' } });
  expect(await refusals()).toEqual({ payload_too_large: 1 });
});

it('refuses a signed body that is not UTF-8 with a 400, and an unsigned one with a 401 before its body is read', async () => {
  const url = await listen();
  const latin1 = Buffer.from('[{"eventId":"é"}]', 'latin1');
  const res = await fetch(`${url}/hubspot/webhooks`, { method: 'POST', body: latin1, headers: signed(latin1) });
  expect(res.status).toBe(400);
  expect(await res.json()).toMatchObject({ error: { code: 'invalid_json', message: 'The request body is not valid UTF-8' } });

  const unsigned = await fetch(`${url}/hubspot/webhooks`, { method: 'POST', body });
  expect(unsigned.status).toBe(401);
  expect(await unsigned.json()).toMatchObject({ error: { code: 'invalid_signature' } });
  expect(await refusals()).toEqual({ invalid_json: 1, invalid_signature: 1 });
});

it('says HubSpot is not configured (503) when the app has no client secret', async () => {
  const url = await listen({ env: { HUBSPOT_CLIENT_SECRET: '', HUBSPOT_CLIENT_ID: '', HUBSPOT_APP_ID: '' } });
  const res = await fetch(`${url}/hubspot/webhooks`, { method: 'POST', body, headers: signed(body) });
  expect(res.status).toBe(503);
  expect(await res.json()).toMatchObject({ error: { code: 'unavailable', message: 'HubSpot app credentials are not configured' } });
});

it('takes a client that hangs up mid-body as a refused delivery: nothing stored, the server still answering', async () => {
  const url = await listen();
  const { port } = new URL(url);
  const cut = request({ host: '127.0.0.1', port, method: 'POST', path: '/hubspot/webhooks', headers: { ...signed(body), 'content-length': String(body.length) } });
  cut.on('error', () => undefined);
  cut.write(body.slice(0, 20));
  await new Promise((resolve) => setTimeout(resolve, 50));
  cut.destroy();
  await expect.poll(refusals).toEqual({ request_aborted: 1 });
  expect(await deps!.store.inbox.countByStatus()).toMatchObject({ pending: 0 });
  const after = await fetch(`${url}/hubspot/webhooks`, { method: 'POST', body, headers: signed(body) });
  expect(after.status).toBe(200);
});
