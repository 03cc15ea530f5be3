import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { bearer, createSandbox, makeProjectDir } from './test-kit';
import type { Sandbox } from './index';

let sandbox: Sandbox;
let token: string;
let now = 1_900_000_000_000;
const get = async (path: string, t = token): Promise<Response> => sandbox.app.request(path, { headers: bearer(t) });

beforeEach(() => {
  now = 1_900_000_000_000;
  sandbox = createSandbox({ projectDir: makeProjectDir(), rateLimit: { max: 3, intervalMs: 1000 }, now: () => now });
  token = sandbox.control.installApp({ portalId: 62515 }).accessToken;
});
afterEach(() => sandbox.close());

describe('rate limit', () => {
  it('counts per (app, portal) in a rolling window and answers HubSpot\'s 429', async () => {
    const remaining: (string | null)[] = [];
    for (let i = 0; i < 3; i++) {
      const res = await get('/crm/v3/owners');
      expect(res.status).toBe(200);
      expect(res.headers.get('X-HubSpot-RateLimit-Interval-Milliseconds')).toBe('1000');
      expect(res.headers.get('X-HubSpot-RateLimit-Max')).toBe('3');
      remaining.push(res.headers.get('X-HubSpot-RateLimit-Remaining'));
    }
    expect(remaining).toEqual(['2', '1', '0']);
    const limited = await get('/crm/v3/owners');
    expect(limited.status).toBe(429);
    expect(limited.headers.get('X-HubSpot-RateLimit-Remaining')).toBe('0');
    expect(await limited.json()).toEqual({
      status: 'error', message: 'You have reached your ten_secondly_rolling limit.', errorType: 'RATE_LIMIT',
      correlationId: expect.any(String), policyName: 'TEN_SECONDLY_ROLLING',
    });
    // Another portal has its own window.
    sandbox.control.createPortal({ portalId: 5551 });
    expect((await get('/crm/v3/owners', sandbox.control.installApp({ portalId: 5551 }).accessToken)).status).toBe(200);
    now += 1001;
    expect((await get('/crm/v3/owners')).status).toBe(200);
  });

  it('can be changed through the control API', async () => {
    const res = await sandbox.app.request('/_sandbox/set-rate-limit', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ max: 1, intervalMs: 10_000 }) });
    expect(res.status).toBe(200);
    expect((await get('/crm/v3/owners')).status).toBe(200);
    expect((await get('/crm/v3/owners')).status).toBe(429);
  });
});

describe('faults', () => {
  it('answers an injected status on a path prefix only, for a count', async () => {
    sandbox.control.setRateLimit({ max: 100, intervalMs: 1000 });
    sandbox.control.addFault({ pathPrefix: '/crm', status: 503, count: 2 });
    expect((await get('/crm/v3/owners')).status).toBe(503);
    expect((await get('/conversations/v3/conversations/actors/A-9586504')).status).toBe(200);
    expect((await get('/crm/v3/owners')).status).toBe(503);
    expect((await get('/crm/v3/owners')).status).toBe(200);
  });

  it('injects 429 with the rate-limit body, lapses after its duration, and hits OAuth too', async () => {
    sandbox.control.setRateLimit({ max: 100, intervalMs: 1000 });
    sandbox.control.addFault({ status: 429, durationMs: 500 });
    const res = await get('/crm/v3/owners');
    expect(res.status).toBe(429);
    expect(await res.json()).toMatchObject({ policyName: 'TEN_SECONDLY_ROLLING', errorType: 'RATE_LIMIT' });
    now += 501;
    expect((await get('/crm/v3/owners')).status).toBe(200);
    sandbox.control.addFault({ pathPrefix: '/oauth', status: 502 });
    expect((await sandbox.app.request('/oauth/v1/token', { method: 'POST' })).status).toBe(502);
    expect((await sandbox.app.request('/oauth/authorize')).status).toBe(400); // the consent page is not an API route
    sandbox.control.clearFaults();
    expect((await sandbox.app.request('/oauth/v1/token', { method: 'POST' })).status).toBe(400);
  });

  it('slows or hangs requests until cleared', async () => {
    sandbox.control.setRateLimit({ max: 100, intervalMs: 1000 });
    const delay = sandbox.control.addFault({ pathPrefix: '/crm/v3/owners', delayMs: 80 });
    const started = Date.now();
    expect((await get('/crm/v3/owners')).status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(75);
    expect(delay.hits).toBe(1);
    sandbox.control.clearFaults();
    sandbox.control.addFault({ pathPrefix: '/crm', hang: true });
    let settled = false;
    const pending = get('/crm/v3/owners').then((r) => { settled = true; return r; });
    await new Promise((r) => setTimeout(r, 100));
    expect(settled).toBe(false);
    sandbox.control.clearFaults();
    expect((await pending).status).toBe(504);
  });
});
