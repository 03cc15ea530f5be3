import { createHmac } from 'node:crypto';
import * as fixtures from '@opencx/shared/webhooks/fixtures';
import { afterEach, describe, expect, it } from 'vitest';
import type { AppDeps } from '../deps';
import { createApp } from '../app';
import { serveOverHttp, type ServedApp } from '../../testing/serve-over-http';
import { CUSTOMER, JANE, PORTAL, startSyncHarness, type SyncHarness } from '../../testing/sync-harness';
import { createTestDeps, TEST_NOW, type TestDeps } from '../../testing/test-deps';

const SECRET = 'webhook-test-secret';
const BASE = 'https://opencx.example.com';

// v3 computed from the documented steps (docs/hubspot-contract.md §2.4), independently of the verifier: the URL is
// signed with HubSpot's decoding of %3A %2F %3F %40 %21 %24 %27 %28 %29 %2A %2C %3B applied.
const signV3 = (secret: string, url: string, body: string, ts: number) =>
  createHmac('sha256', secret).update(`POST${url}${body}${ts}`, 'utf8').digest('base64');

let deps: TestDeps | undefined;
let h: SyncHarness | undefined;
let served: ServedApp | undefined;
afterEach(async () => {
  await served?.close();
  await deps?.cleanup();
  await h?.close();
  deps = undefined;
  h = undefined;
  served = undefined;
});

interface App {
  deps: AppDeps;
  app: ReturnType<typeof createApp>;
}

function appWith(env: Record<string, string> = {}): App {
  deps = createTestDeps({ env: { PUBLIC_BASE_URL: BASE, HUBSPOT_CLIENT_ID: 'cid', HUBSPOT_CLIENT_SECRET: SECRET, HUBSPOT_APP_ID: '7', ...env } });
  return { deps, app: createApp(deps) };
}

type Post = (target: App, body: string, headers: Record<string, string>, path?: string) => Promise<Response>;

/**
 * Every test runs both ways a delivery is answered: by the Hono route in process (`app.request`), and over HTTP as
 * the running server answers it, by the Node listener ahead of the app (http/webhook-listener.ts).
 */
const TRANSPORTS: Array<[string, Post]> = [
  [
    'in process (Hono route)',
    async ({ app }, body, headers, path = '/hubspot/webhooks') =>
      app.request(path, { method: 'POST', body, headers: { 'content-type': 'application/json', ...headers } }),
  ],
  [
    'over HTTP (Node listener)',
    async (target, body, headers, path = '/hubspot/webhooks') => {
      served ??= await serveOverHttp(target.deps, target.app);
      return fetch(`${served.url}${path}`, { method: 'POST', body, headers: { 'content-type': 'application/json', ...headers } });
    },
  ],
];

const signed = (body: string, ts = TEST_NOW, url = `${BASE}/hubspot/webhooks`, secret = SECRET) => ({
  'x-hubspot-signature-v3': signV3(secret, url, body, ts),
  'x-hubspot-request-timestamp': String(ts),
});

const batch = JSON.stringify([fixtures.legacyOwnerChange, fixtures.assigneeChange, fixtures.newMessage, fixtures.legacyTicketDeletion]);

describe.each(TRANSPORTS)('%s', (_transport, post) => {
  describe('POST /hubspot/webhooks: signature', () => {
    it('accepts a v3 signature over PUBLIC_BASE_URL, the raw body and the timestamp, and stores the batch', async () => {
      const app = appWith();
      const res = await post(app, batch, signed(batch));
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({ received: 4, stored: 4 });
      // The two takeovers were processed within the request (ignored: this portal is not connected); the rest waits.
      expect(await deps!.store.inbox.countByStatus()).toMatchObject({ pending: 2, ignored: 2 });
    });

    it("verifies the URL with HubSpot's decoding rules (encoded characters in the query)", async () => {
      const app = appWith();
      const path = '/hubspot/webhooks?source=a%3Ab%2Fc%40d&keep=%20';
      const decoded = `${BASE}/hubspot/webhooks?source=a:b/c@d&keep=%20`;
      expect((await post(app, batch, signed(batch, TEST_NOW, decoded), path)).status).toBe(200);
      expect((await post(app, batch, signed(batch, TEST_NOW, `${BASE}${path}`), path)).status).toBe(401);
    });

    it.each([
      ['no signature at all', () => ({})],
      ["HubSpot's published v1 vector (v1 binds no URL or time: refused)", () => ({
        'x-hubspot-signature': '232db2615f3d666fe21a8ec971ac7b5402d33b9a925784df3ca654d05f4817de',
        'x-hubspot-signature-version': 'v1',
      })],
      ['a v2 signature (no v2 fallback for webhooks)', () => ({
        'x-hubspot-signature': 'eee2dddcc73c94d699f5e395f4b9d454a069a6855fbfa152e91e88823087200e',
        'x-hubspot-signature-version': 'v2',
      })],
      ['another secret', () => signed(batch, TEST_NOW, `${BASE}/hubspot/webhooks`, 'other-secret')],
      ['the Host the request came to instead of PUBLIC_BASE_URL', () => signed(batch, TEST_NOW, 'http://localhost/hubspot/webhooks')],
      ['a body changed by one byte', () => signed(batch.replace('52550153', '52550154'))],
      ['a timestamp that is not the signed one', () => ({ ...signed(batch), 'x-hubspot-request-timestamp': String(TEST_NOW + 1) })],
    ])('refuses %s with 401 invalid_signature', async (_name, headers) => {
      const app = appWith();
      const res = await post(app, batch, headers());
      expect(res.status).toBe(401);
      expect(await res.json()).toMatchObject({ error: { code: 'invalid_signature' } });
      expect(await deps!.store.inbox.countByStatus()).toMatchObject({ pending: 0 });
    });

    it.each([
      ['more than 5 minutes old', TEST_NOW - 300_001],
      ['more than 5 minutes ahead', TEST_NOW + 300_001],
    ])('refuses a timestamp %s with 401 stale_timestamp', async (_name, ts) => {
      const app = appWith();
      const res = await post(app, batch, signed(batch, ts));
      expect(res.status).toBe(401);
      expect(await res.json()).toMatchObject({ error: { code: 'stale_timestamp' } });
    });

    it('accepts a timestamp just inside the window', async () => {
      const app = appWith();
      expect((await post(app, batch, signed(batch, TEST_NOW - 299_000))).status).toBe(200);
    });
  });

  describe('POST /hubspot/webhooks: validation and dedup', () => {
    it('refuses a malformed batch with a 400 naming the event and the field, storing nothing', async () => {
      const app = appWith();
      const bad = JSON.stringify([fixtures.newMessage, { ...fixtures.newMessage, eventId: 42, messageId: 7 }]);
      const res = await post(app, bad, signed(bad));
      expect(res.status).toBe(400);
      const body = (await res.json()) as { error: { code: string; message: string } };
      expect(body.error.code).toBe('validation_failed');
      expect(body.error.message).toContain('event 1 (eventId 42, conversation.newMessage): messageId: expected string, received number');
      expect(await deps!.store.inbox.countByStatus()).toMatchObject({ pending: 0 });
    });

    it.each([
      ['not JSON', '[{"eventId":', 'invalid_json'],
      ['an object instead of an array', '{"eventId":1}', 'validation_failed'],
      ['an empty array', '[]', 'validation_failed'],
      ['more than 100 events', JSON.stringify(Array.from({ length: 101 }, (_, i) => ({ ...fixtures.newMessage, eventId: i }))), 'validation_failed'],
    ])('refuses %s with a 400 JSON error', async (_name, body, code) => {
      const app = appWith();
      const res = await post(app, body, signed(body));
      expect(res.status).toBe(400);
      expect(await res.json()).toMatchObject({ error: { code } });
    });

    it('stores a redelivery (new attemptNumber) and duplicates within a batch once, and still answers 200', async () => {
      const app = appWith();
      const twice = JSON.stringify([fixtures.newMessage, fixtures.newMessage]);
      expect(await (await post(app, twice, signed(twice))).json()).toEqual({ received: 2, stored: 1 });
      const retry = JSON.stringify([{ ...fixtures.newMessage, attemptNumber: 1 }]);
      expect(await (await post(app, retry, signed(retry))).json()).toEqual({ received: 1, stored: 0 });
      // Same eventId, different change: not a duplicate (HubSpot: eventId alone is not unique).
      const sameId = JSON.stringify([{ ...fixtures.newMessage, messageId: 'another-message' }]);
      expect(await (await post(app, sameId, signed(sameId))).json()).toEqual({ received: 1, stored: 1 });
    });

    it('accepts subscription types we do not handle (recorded, then ignored)', async () => {
      const app = appWith();
      const body = JSON.stringify([fixtures.docContactCreation]);
      expect(await (await post(app, body, signed(body))).json()).toEqual({ received: 1, stored: 1 });
    });
  });

  describe('POST /hubspot/webhooks: an agent taking over', () => {
    it('is applied before the response: the AI is paused when HubSpot gets its 200', async () => {
      h = await startSyncHarness();
      const thread = h.sandbox.control.createThread({ portalId: PORTAL, contactId: CUSTOMER, text: 'Hello' });
      await h.sync();
      h.sandbox.control.assignThread({ portalId: PORTAL, threadId: thread.id, userId: JANE.userId });
      const body = JSON.stringify(h.sandbox.state.webhookEvents.splice(0));
      const app = { deps: h.deps, app: createApp(h.deps) };
      const url = `${h.deps.config.publicBaseUrl}/hubspot/webhooks`;
      const res = await post(app, body, signed(body, h.deps.clock.now(), url, h.sandbox.appCredentials.clientSecret));
      expect(res.status).toBe(200);
      const session = (await h.deps.store.sessions.findByThread(PORTAL, thread.id))!;
      expect((await h.deps.store.aiControl.load(session.id))?.control.state).toMatchObject({ status: 'paused', source: 'agent_took_ownership' });
    });

    it('records events of a portal that is not connected, and ignores them', async () => {
      h = await startSyncHarness();
      const body = JSON.stringify([{ ...fixtures.assigneeChange, portalId: 999 }]);
      const app = { deps: h.deps, app: createApp(h.deps) };
      const url = `${h.deps.config.publicBaseUrl}/hubspot/webhooks`;
      expect((await post(app, body, signed(body, h.deps.clock.now(), url, h.sandbox.appCredentials.clientSecret))).status).toBe(200);
      expect(await h.deps.store.inbox.list()).toEqual([expect.objectContaining({ portalId: 999, status: 'ignored', note: 'portal 999 is not connected' })]);
    });
  });
});
