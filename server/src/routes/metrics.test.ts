import { createHmac } from 'node:crypto';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { createApp } from '../app';
import { PORTAL, CUSTOMER, startSyncHarness, type SyncHarness } from '../../testing/sync-harness';
import { createTestDeps } from '../../testing/test-deps';

const TOKEN = 'metrics-token-for-tests-0123456789';

let h: SyncHarness;
beforeEach(async () => {
  h = await startSyncHarness();
  h.deps.config = { ...h.deps.config, metricsToken: TOKEN };
});
afterEach(() => h.close());

const scrape = async (app: ReturnType<typeof createApp>) => {
  const res = await app.request('/metrics', { headers: { authorization: `Bearer ${TOKEN}` } });
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toContain('text/plain');
  return res.text();
};

/** The value of one sample (`name{labels}`, labels as Prometheus prints them), 0 when absent. */
const sample = (text: string, series: string): number => {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line ? Number(line.slice(series.length + 1)) : 0;
};

const postSigned = (app: ReturnType<typeof createApp>, body: string, secret = h.deps.config.hubspot!.clientSecret) => {
  const ts = h.deps.clock.now();
  const url = `${h.deps.config.publicBaseUrl}/hubspot/webhooks`;
  const signature = createHmac('sha256', secret).update(`POST${url}${body}${ts}`, 'utf8').digest('base64');
  return app.request('/hubspot/webhooks', {
    method: 'POST', body,
    headers: { 'content-type': 'application/json', 'x-hubspot-signature-v3': signature, 'x-hubspot-request-timestamp': String(ts) },
  });
};

it('refuses a scrape without the token, or with another one', async () => {
  const app = createApp(h.deps);
  expect((await app.request('/metrics')).status).toBe(401);
  expect((await app.request('/metrics', { headers: { authorization: 'Bearer not-the-metrics-token-at-all' } })).status).toBe(401);
  expect((await app.request('/metrics', { headers: { authorization: TOKEN } })).status).toBe(401);
});

it('is off without METRICS_TOKEN', async () => {
  const deps = createTestDeps();
  try {
    expect((await createApp(deps).request('/metrics', { headers: { authorization: `Bearer ${TOKEN}` } })).status).toBe(404);
  } finally {
    await deps.cleanup();
  }
});

it('moves its counters and gauges with webhook traffic, HubSpot calls and AI replies', async () => {
  const app = createApp(h.deps);
  const before = await scrape(app);
  expect(sample(before, 'opencx_webhook_events_received_total')).toBe(0);

  h.sandbox.control.createThread({ portalId: PORTAL, contactId: CUSTOMER, text: 'Where is my order?' });
  await h.sandbox.idle();
  const events = h.sandbox.state.webhookEvents.splice(0);
  expect(events.length).toBeGreaterThan(0);
  const body = JSON.stringify(events);
  const first = await postSigned(app, body);
  expect(first.status, await first.clone().text()).toBe(200);
  expect((await postSigned(app, body)).status).toBe(200); // a redelivery: received again, stored once
  expect((await postSigned(app, body, 'a-forged-secret')).status).toBe(401);

  const queued = await scrape(app);
  expect(sample(queued, 'opencx_webhook_events_received_total')).toBe(2 * events.length);
  expect(sample(queued, 'opencx_webhook_events_stored_total')).toBe(events.length);
  expect(sample(queued, 'opencx_webhook_requests_refused_total{reason="invalid_signature"}')).toBe(1);
  expect(sample(queued, 'opencx_queue_depth{queue="inbox"}')).toBe(events.length);

  await h.sync();
  const after = await scrape(app);
  expect(sample(after, 'opencx_queue_depth{queue="inbox"}')).toBe(0);
  expect(sample(after, 'opencx_queue_depth{queue="outbox"}')).toBe(0);
  expect(sample(after, 'opencx_dead_letters{queue="outbox"}')).toBe(0);
  expect(sample(after, 'opencx_ai_reply_seconds_count')).toBe(1);
  expect(sample(after, 'opencx_hubspot_calls_total{operation="sendThreadMessage",status="200"}')).toBeGreaterThanOrEqual(1);
});

it('counts HubSpot rate limits by status', async () => {
  const app = createApp(h.deps);
  h.sandbox.control.createThread({ portalId: PORTAL, contactId: CUSTOMER, text: 'Hello' });
  h.sandbox.control.addFault({ pathPrefix: "/conversations", status: 429, count: 1 });
  await h.sync();
  const text = await scrape(app);
  expect(text).toMatch(/opencx_hubspot_calls_total\{operation="[^"]+",status="429"\} 1/);
});
