// The OpenCX client against the OpenCX API stand-in over HTTP: both documented response shapes, every error
// translated in one place, and the per-key budget that keeps us under OpenCX's 100 requests a minute.
import { describe, expect, it } from 'vitest';
import { useListeningOpenCx } from '../../../../test/support/listening-opencx';
import { createPortalRateLimiter } from '../../hubspot/rate-limiter';
import { createOpenCxClient, type OpenCxClientOptions } from './client';
import { OpenCxApiError } from './errors';
import type { CreateSessionRequest } from './schemas';

const KEY = 'ocx_live_client_test_4f2a';
const standIn = useListeningOpenCx({ keys: { [KEY]: 'full' } });
const { opencx } = standIn;

const client = (options: Partial<OpenCxClientOptions> = {}) => createOpenCxClient({ baseUrl: `${standIn.url}/`, ...options });
const failureOf = async (promise: Promise<unknown>): Promise<OpenCxApiError> => {
  const error = await promise.then(() => null, (e: unknown) => e);
  expect(error).toBeInstanceOf(OpenCxApiError);
  return error as OpenCxApiError;
};
const say = { sender: 'contact' as const, message: { type: 'text' as const, text: 'Where is my order?' } };

describe('OpenCX client', () => {
  it.each(['data', 'bare'] as const)('reads the %s send response the same way', async (shape) => {
    opencx.setShape(shape);
    opencx.script('order', { text: 'It ships today.' });
    const api = client();
    const { id } = await api.createSession(KEY, { channel: { type: 'web' } });
    expect(await api.sendMessage(KEY, id, say)).toEqual({ answer: 'It ships today.', aiError: null, handedOff: false });
    opencx.script('human', { handoff: true });
    expect(await api.sendMessage(KEY, id, { ...say, message: { type: 'text', text: 'a human please' } })).toMatchObject({ handedOff: true });
    await api.updateSession(KEY, id, { status: 'closed_resolved' });
    expect(opencx.state.sessions.get(id)?.status).toBe('closed_resolved');
    expect(opencx.requests().map((r) => r.keyEnding)).toEqual(['4f2a', '4f2a', '4f2a', '4f2a']);
  });

  it('turns 401 and 403 into a permanent "key refused" error that says what to do', async () => {
    const unknown = await failureOf(client().createSession('ocx_live_wrong', { channel: { type: 'web' } }));
    expect(unknown).toMatchObject({ failure: 'key_refused', status: 401, transient: false, concernsAdmin: true });
    expect(unknown.message).toMatch(/Create a new key/);
    opencx.addKey('ocx_live_readonly', ['chat-sessions:read']);
    const forbidden = await failureOf(client().createSession('ocx_live_readonly', { channel: { type: 'web' } }));
    expect(forbidden).toMatchObject({ failure: 'key_refused', status: 403, transient: false });
    expect(forbidden.message).toMatch(/chat-sessions:write/);
    expect(forbidden.message).not.toContain('ocx_live_readonly');
  });

  it('turns 400 into a permanent error carrying OpenCX\'s reason, and 404 into session_not_found', async () => {
    const nested = { channel: { type: 'web' }, custom_data: { nested: { a: 1 } } } as unknown as CreateSessionRequest;
    const bad = await failureOf(client().createSession(KEY, nested));
    expect(bad).toMatchObject({ failure: 'bad_request', status: 400, transient: false, concernsAdmin: true });
    expect(bad.message).toMatch(/custom_data/);
    expect(await failureOf(client().sendMessage(KEY, '00000000-0000-4000-8000-000000000000', say))).toMatchObject({ failure: 'session_not_found', status: 404 });
  });

  it('retries a 429 once after a short Retry-After, and fails fast as transient on a long one', async () => {
    const api = client({ maxWaitMs: 2_000 });
    opencx.failNext({ status: 429, retryAfterSeconds: 1 });
    const started = Date.now();
    await api.createSession(KEY, { channel: { type: 'web' } });
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
    expect(opencx.requests().map((r) => r.status)).toEqual([429, 201]);

    opencx.failNext({ status: 429, retryAfterSeconds: 120 });
    const limited = await failureOf(api.createSession(KEY, { channel: { type: 'web' } }));
    expect(limited).toMatchObject({ failure: 'rate_limited', transient: true, retryAfterMs: 120_000 });
    // The key's budget is paused now: the next call does not even reach OpenCX.
    const paused = await failureOf(api.createSession(KEY, { channel: { type: 'web' } }));
    expect(paused).toMatchObject({ failure: 'rate_limited', transient: true });
    expect(paused.retryAfterMs).toBeGreaterThan(100_000);
    expect(opencx.requests()).toHaveLength(3);
  });

  it('treats 5xx, timeouts and unreadable bodies as transient or bad, without retrying a send', async () => {
    opencx.failNext({ status: 503 });
    expect(await failureOf(client().createSession(KEY, { channel: { type: 'web' } }))).toMatchObject({ failure: 'server_error', transient: true, status: 503 });
    expect(opencx.requests()).toHaveLength(1);
    const hanging: typeof fetch = (_url, init) => new Promise((_resolve, reject) => init?.signal?.addEventListener('abort', () => reject(init.signal!.reason)));
    expect(await failureOf(client({ fetch: hanging, timeoutMs: 50 }).createSession(KEY, { channel: { type: 'web' } }))).toMatchObject({ failure: 'timeout', transient: true });
    const garbage: typeof fetch = async () => new Response('<html>', { status: 201 });
    expect(await failureOf(client({ fetch: garbage }).createSession(KEY, { channel: { type: 'web' } }))).toMatchObject({ failure: 'bad_response', transient: false });
    expect(await failureOf(client({ baseUrl: 'http://127.0.0.1:1' }).createSession(KEY, { channel: { type: 'web' } }))).toMatchObject({ failure: 'unreachable', transient: true });
  });

  it('keeps each key under OpenCX\'s 100 requests a minute: the 101st waits in our budget, never reaching a 429', async () => {
    opencx.addKey('ocx_live_other');
    const api = client({ maxWaitMs: 0 });
    const results = await Promise.all(Array.from({ length: 101 }, () => api.createSession(KEY, { channel: { type: 'api' } }).then(() => 'ok', (e: OpenCxApiError) => e.failure)));
    expect(results.filter((r) => r === 'ok')).toHaveLength(100);
    expect(results.filter((r) => r === 'rate_limited')).toHaveLength(1);
    expect(opencx.requests().filter((r) => r.status === 429)).toHaveLength(0);
    // Per key: another organization's key still has its whole budget.
    await expect(api.createSession('ocx_live_other', { channel: { type: 'api' } })).resolves.toMatchObject({ id: expect.any(String) });
  });

  it('shares one budget between callers given the same limiter (one per server)', async () => {
    const limiter = createPortalRateLimiter({ maxRequests: 2, intervalMs: 60_000 });
    const [a, b] = [client({ limiter, maxWaitMs: 0 }), client({ limiter, maxWaitMs: 0 })];
    await a.createSession(KEY, { channel: { type: 'api' } });
    await b.createSession(KEY, { channel: { type: 'api' } });
    expect(await failureOf(a.createSession(KEY, { channel: { type: 'api' } }))).toMatchObject({ failure: 'rate_limited' });
  });
});
