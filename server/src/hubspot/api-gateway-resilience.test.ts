// Rate limiting, backoff, bounded retries and error translation of the gateway, against the sandbox's real
// rolling-window limit and injected faults.
import { beforeEach, describe, expect, it } from 'vitest';
import { takeContractViolations } from '../../../test/sandbox/contract/audit';
import { useListeningSandbox } from '../../../test/support/listening-sandbox';
import { HubSpotApiError } from './api-error';
import { createHubSpotApiGateway, type HubSpotApiGatewayOptions } from './api-gateway';

const PORTAL = 62515;

const hs = useListeningSandbox();
let accessToken: string;
let ticketId: string;
let tokenCalls: number;
let logLines: string[];

function gatewayWith(overrides: Partial<HubSpotApiGatewayOptions> = {}) {
  return createHubSpotApiGateway({
    basePath: hs.url,
    tokens: {
      accessTokenFor: async () => {
        tokenCalls += 1; // once per attempt
        return accessToken;
      },
    },
    retry: { baseDelayMs: 5, maxDelayMs: 20 },
    logger: { warn: (obj, msg) => logLines.push(JSON.stringify({ ...obj, msg })) },
    ...overrides,
  });
}

const apiCalls = (status?: number) => hs.sandbox.state.apiRequests.filter((r) => r.path.startsWith('/crm') && (status === undefined || r.status === status));

/** Largest number of requests the sandbox saw inside any window of `windowMs`. */
function peakInWindow(times: number[], windowMs: number): number {
  const sorted = [...times].sort((a, b) => a - b);
  let peak = 0;
  for (let i = 0, j = 0; i < sorted.length; i += 1) {
    while ((sorted[j] as number) <= (sorted[i] as number) - windowMs) j += 1;
    peak = Math.max(peak, i - j + 1);
  }
  return peak;
}

async function rejection(promise: Promise<unknown>): Promise<HubSpotApiError> {
  const error = await promise.then(() => undefined, (e: unknown) => e);
  expect(error).toBeInstanceOf(HubSpotApiError);
  return error as HubSpotApiError;
}

beforeEach(() => {
  accessToken = hs.sandbox.control.installApp({ portalId: PORTAL }).accessToken;
  ticketId = hs.sandbox.control.createTicket({ portalId: PORTAL, subject: 'Help' }).id;
  tokenCalls = 0;
  logLines = [];
});

describe('rate limits', () => {
  it('after a 429 pauses the portal for the advertised window, then succeeds', async () => {
    hs.sandbox.control.setRateLimit({ max: 3, intervalMs: 1_000 });
    const api = gatewayWith(); // our own budget (110/10 s) is far above the lowered HubSpot limit
    const started = Date.now();
    const results = await Promise.all(Array.from({ length: 6 }, () => api.getTicket(PORTAL, ticketId)));
    expect(results.every((t) => t.id === ticketId)).toBe(true);
    expect(apiCalls(429).length).toBeGreaterThanOrEqual(3);
    expect(apiCalls(200)).toHaveLength(6);
    // The retries waited for HubSpot's window (X-HubSpot-RateLimit-Interval-Milliseconds: 1000) to pass.
    expect(Date.now() - started).toBeGreaterThanOrEqual(1_000);
    expect(logLines.some((l) => l.includes('"kind":"rate_limited"'))).toBe(true);
  });

  it('keeps a burst under the limit, so HubSpot never answers 429', async () => {
    hs.sandbox.control.setRateLimit({ max: 5, intervalMs: 1_000 });
    const api = gatewayWith({ limiter: { maxRequests: 5, intervalMs: 1_000 } }); // default 250 ms safety margin
    const results = await Promise.all(Array.from({ length: 12 }, () => api.getTicket(PORTAL, ticketId)));
    expect(results).toHaveLength(12);
    expect(apiCalls()).toHaveLength(12);
    expect(apiCalls(429)).toHaveLength(0);
    expect(peakInWindow(apiCalls().map((r) => r.at), 1_000)).toBeLessThanOrEqual(5);
  });

  it('gives up with rate_limited (not sent) when the wait exceeds the call\'s budget', async () => {
    const api = gatewayWith({ limiter: { maxRequests: 1, intervalMs: 60_000 }, retry: { maxRateLimitWaitMs: 100 } });
    await api.getTicket(PORTAL, ticketId);
    const error = await rejection(api.getTicket(PORTAL, ticketId));
    expect(error).toMatchObject({ kind: 'rate_limited', status: 0, category: 'LOCAL_RATE_LIMIT', isTransient: true });
    expect(error.retryAfterMs).toBeGreaterThan(59_000);
    expect(apiCalls()).toHaveLength(1);
  });

  it('shares one budget between gateways that share a limiter (withRetryPolicy)', async () => {
    const interactive = gatewayWith({ limiter: { maxRequests: 1, intervalMs: 60_000 }, retry: { maxRateLimitWaitMs: 0 } });
    const background = interactive.withRetryPolicy({ attempts: 6 });
    await interactive.getTicket(PORTAL, ticketId);
    expect((await rejection(background.getTicket(PORTAL, ticketId))).category).toBe('LOCAL_RATE_LIMIT');
  });

  it('builds each retry policy variant once and hands the same gateway back', () => {
    const interactive = gatewayWith();
    const oneShot = interactive.withRetryPolicy({ attempts: 1 });
    expect(interactive.withRetryPolicy({ attempts: 1 })).toBe(oneShot);
    expect(oneShot.withRetryPolicy({ attempts: 1 })).toBe(oneShot);
    expect(interactive.withRetryPolicy({ attempts: 6 })).not.toBe(oneShot);
  });
});

describe('stopping', () => {
  it('ends a call waiting for the portal budget as soon as the server stops, and sends nothing after', async () => {
    const stop = new AbortController();
    const api = gatewayWith({ limiter: { maxRequests: 1, intervalMs: 5_000 }, stopSignal: stop.signal });
    await api.getTicket(PORTAL, ticketId);
    const waiting = rejection(api.getTicket(PORTAL, ticketId)); // the budget frees up in 5 s: it waits
    await new Promise((resolve) => setTimeout(resolve, 20));
    const stoppedAt = performance.now();
    stop.abort();
    const error = await waiting;
    expect(performance.now() - stoppedAt).toBeLessThan(1_000);
    expect(error).toMatchObject({ kind: 'transient', status: 0, category: 'SHUTTING_DOWN' });
    expect(error.message).toContain('getTicket');

    expect((await rejection(api.withRetryPolicy({ attempts: 1 }).getTicket(PORTAL, ticketId))).category).toBe('SHUTTING_DOWN');
    // Tokens are fetched before the budget wait (api-caller.ts): the sent call's and the waiting one's, none after the stop.
    expect(tokenCalls).toBe(2);
  });

  it('ends a retry backoff when the server stops', async () => {
    const stop = new AbortController();
    const api = gatewayWith({ retry: { baseDelayMs: 60_000, maxDelayMs: 60_000 }, stopSignal: stop.signal });
    hs.sandbox.control.addFault({ pathPrefix: '/crm', status: 503, count: 1 });
    const waiting = rejection(api.getTicket(PORTAL, ticketId));
    await new Promise((resolve) => setTimeout(resolve, 50));
    stop.abort();
    expect((await waiting).category).toBe('SHUTTING_DOWN');
    expect(tokenCalls).toBe(1); // the first attempt, answered 503; the retry was never sent
  });
});

describe('transient failures', () => {
  it('retries 5xx on a read and succeeds', async () => {
    hs.sandbox.control.addFault({ pathPrefix: '/crm', status: 503, count: 2 });
    expect((await gatewayWith().getTicket(PORTAL, ticketId)).id).toBe(ticketId);
    expect(tokenCalls).toBe(3);
  });

  it('bounds the retries: 3 attempts, then a transient error', async () => {
    hs.sandbox.control.addFault({ pathPrefix: '/crm', status: 500, count: 10 });
    const error = await rejection(gatewayWith().getTicket(PORTAL, ticketId));
    expect(error).toMatchObject({ kind: 'transient', status: 500, isTransient: true });
    expect(tokenCalls).toBe(3);
    expect(logLines).toHaveLength(2);
  });

  it('honours a configured attempt count', async () => {
    hs.sandbox.control.addFault({ pathPrefix: '/crm', status: 502, count: 10 });
    await rejection(gatewayWith({ retry: { attempts: 5, baseDelayMs: 1, maxDelayMs: 2 } }).getTicket(PORTAL, ticketId));
    expect(tokenCalls).toBe(5);
  });

  it('does not repeat a create after a 5xx (it may have happened)', async () => {
    hs.sandbox.control.addFault({ pathPrefix: '/crm/v3/objects/notes', status: 503, count: 1 });
    const error = await rejection(gatewayWith().createTicketNote(PORTAL, ticketId, '<p>x</p>', Date.now()));
    expect(error.kind).toBe('transient');
    expect(tokenCalls).toBe(1);
  });

  it('does repeat a create after a 429 (refused before processing), pausing one interval when no header says how long', async () => {
    // The injected 429 carries no rate-limit headers: the pause falls back to the limiter's own interval.
    hs.sandbox.control.addFault({ pathPrefix: '/crm/v3/objects/notes', status: 429, count: 1 });
    const started = Date.now();
    const { noteId } = await gatewayWith({ limiter: { intervalMs: 300 } }).createTicketNote(PORTAL, ticketId, '<p>x</p>', Date.now());
    expect(Date.now() - started).toBeGreaterThanOrEqual(300);
    expect(hs.sandbox.control.notesForTicket({ portalId: PORTAL, ticketId }).map((n) => n.id)).toEqual([noteId]);
    expect(tokenCalls).toBe(2);
  });

  it('times out a slow call and retries it', async () => {
    hs.sandbox.control.addFault({ pathPrefix: '/crm', delayMs: 1_000, count: 1 });
    expect((await gatewayWith({ timeoutMs: 150 }).getTicket(PORTAL, ticketId)).id).toBe(ticketId);
    expect(tokenCalls).toBe(2);
  });

  it('reports a hung Conversations call as a transient timeout', async () => {
    hs.sandbox.control.addFault({ pathPrefix: '/conversations', hang: true, durationMs: 2_000 });
    const error = await rejection(gatewayWith({ timeoutMs: 100, retry: { attempts: 1 } }).getThread(PORTAL, '1'));
    expect(error).toMatchObject({ kind: 'transient', status: 0 });
    hs.sandbox.control.clearFaults();
  });

  it('a refused connection is transient, and retried even for a create (never sent)', async () => {
    const api = createHubSpotApiGateway({
      basePath: 'http://127.0.0.1:9', // discard port: nothing listens
      tokens: { accessTokenFor: async () => { tokenCalls += 1; return accessToken; } },
      retry: { baseDelayMs: 1, maxDelayMs: 2 },
    });
    expect(await rejection(api.createTicketNote(PORTAL, ticketId, '<p>x</p>', Date.now()))).toMatchObject({ kind: 'transient', status: 0 });
    expect(tokenCalls).toBe(3);
  });
});

describe('errors', () => {
  it('an unknown or revoked token is unauthorized, not retried, and never in the message or logs', async () => {
    accessToken = 'CKXbogus-token-value-0123456789';
    const error = await rejection(gatewayWith().getTicket(PORTAL, ticketId));
    expect(error).toMatchObject({ kind: 'unauthorized', status: 401, category: 'INVALID_AUTHENTICATION', isTransient: false });
    expect(tokenCalls).toBe(1);
    expect(JSON.stringify(error) + error.stack).not.toContain(accessToken);
  });

  it('an uninstalled app gets 401 unauthorized', async () => {
    hs.sandbox.control.uninstallApp({ portalId: PORTAL });
    expect((await rejection(gatewayWith().getTicket(PORTAL, ticketId))).kind).toBe('unauthorized');
  });

  it('a missing scope is forbidden_scope', async () => {
    hs.sandbox.control.uninstallApp({ portalId: PORTAL });
    accessToken = hs.sandbox.control.installApp({ portalId: PORTAL, scopes: ['oauth', 'tickets'] }).accessToken;
    const error = await rejection(gatewayWith().getActor(PORTAL, 'A-9586504'));
    expect(error).toMatchObject({ kind: 'forbidden_scope', status: 403, category: 'MISSING_SCOPES' });
    expect(takeContractViolations(hs.sandbox).map((v) => v.kind)).toEqual(['missing_scope']);
  });

  it('errors from the token source pass through untouched', async () => {
    const failing = createHubSpotApiGateway({ basePath: hs.url, tokens: { accessTokenFor: () => Promise.reject(new Error('reconnect_required')) } });
    await expect(failing.getTicket(PORTAL, ticketId)).rejects.toThrow('reconnect_required');
  });

  it('no log line carries the token', async () => {
    hs.sandbox.control.addFault({ pathPrefix: '/crm', status: 500, count: 2 });
    await gatewayWith().getTicket(PORTAL, ticketId);
    expect(logLines).toHaveLength(2);
    expect(logLines.join('\n')).not.toContain(accessToken);
  });
});

describe('a token HubSpot refuses before its stated expiry', () => {
  it('is reported to the token source once, and the call succeeds with the renewed token', async () => {
    hs.sandbox.control.expireAccessTokens({ portalId: PORTAL });
    const fresh = hs.sandbox.control.installApp({ portalId: PORTAL }).accessToken;
    const refused: string[] = [];
    const gateway = gatewayWith({
      tokens: {
        accessTokenFor: async () => accessToken,
        tokenRejected: async (_portalId, token) => {
          refused.push(token);
          accessToken = fresh;
          return true;
        },
      },
    });
    const expired = accessToken;
    await expect(gateway.getTicket(PORTAL, ticketId)).resolves.toMatchObject({ id: ticketId });
    expect(refused).toEqual([expired]);
  });

  it('fails as unauthorized when no other token can be had (a Private App token), without looping', async () => {
    hs.sandbox.control.expireAccessTokens({ portalId: PORTAL });
    let asked = 0;
    const gateway = gatewayWith({
      tokens: { accessTokenFor: async () => accessToken, tokenRejected: async () => ((asked += 1), false) },
    });
    expect((await rejection(gateway.getTicket(PORTAL, ticketId))).kind).toBe('unauthorized');
    expect(asked).toBe(1);
  });
});
