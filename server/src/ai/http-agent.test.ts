import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { AiServiceError, type AiReplyInput } from './agent';
import { aiServiceRequestSchema, type AiServiceRequest } from './ai-service-contract';
import { backoffDelay, createHttpAgent, type HttpAgentOptions } from './http-agent';

// A tiny stand-in for the OpenCX AI service: each scenario lives under its own base path.
const received: Record<string, AiServiceRequest[]> = {};
const hanging: Array<() => void> = [];
const count = (scenario: string, body: AiServiceRequest) => (received[scenario] ??= []).push(body);
const service = new Hono().post('/:scenario/v1/reply', async (c) => {
  const scenario = c.req.param('scenario');
  const calls = count(scenario, aiServiceRequestSchema.parse(await c.req.json()));
  switch (scenario) {
    case 'answer': return c.json({ type: 'answer', text: 'Your order ships today.', confidence: 0.9 });
    case 'handoff': return c.json({ type: 'handoff', reason: 'customer is angry' });
    case 'flaky': return calls <= 2 ? c.text('upstream down', 503) : c.json({ type: 'no_reply', reason: 'nothing to add' });
    case 'limited': return calls === 1 ? c.text('slow down', 429, { 'retry-after': '2' }) : c.json({ type: 'answer', text: 'ok' });
    case 'down': return c.text('boom', 500);
    case 'hang': return new Promise<Response>((resolve) => hanging.push(() => resolve(c.text('too late'))));
    case 'garbage': return c.json({ type: 'answer', txt: 'typo in the field name' });
    case 'empty': return c.json({ type: 'answer', text: '   ' });
    case 'html': return c.html('<html>gateway</html>');
    case 'bad-request': return c.json({ error: 'unknown organization org-1' }, 400);
    default: return c.notFound();
  }
});

let server: Server;
let baseUrl = '';
beforeAll(async () => {
  await new Promise<void>((ready) => {
    server = serve({ fetch: service.fetch, hostname: '127.0.0.1', port: 0 }, () => ready()) as Server;
  });
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  for (const release of hanging) release();
  server.closeAllConnections();
  await new Promise((done) => server.close(done));
});
beforeEach(() => {
  for (const key of Object.keys(received)) delete received[key];
});

const sleeps: number[] = [];
const agentFor = (scenario: string, options: Partial<HttpAgentOptions> = {}) =>
  createHttpAgent({
    url: `${baseUrl}/${scenario}`,
    sleep: async (ms) => void sleeps.push(ms),
    random: () => 0.5,
    ...options,
  });
beforeEach(() => void sleeps.splice(0));

const input: AiReplyInput = {
  organizationId: 'org-1',
  sessionId: 'ses-1',
  channel: 'email',
  history: [{ role: 'customer', text: 'Where is my order?', at: 1_700_000_000_000 }],
};
const failureOf = async (promise: Promise<unknown>): Promise<AiServiceError> => {
  const error = await promise.then(() => null, (e: unknown) => e);
  expect(error).toBeInstanceOf(AiServiceError);
  return error as AiServiceError;
};

describe('HTTP AI agent', () => {
  it('posts the contract body and maps the answer', async () => {
    expect(await agentFor('answer').reply(input)).toEqual({ kind: 'answer', text: 'Your order ships today.' });
    expect(received.answer).toEqual([{ ...input, instruction: null }]);
  });

  it('sends the instruction and maps a handoff', async () => {
    expect(await agentFor('handoff').reply({ ...input, instruction: 'offer a refund' })).toEqual({ kind: 'handoff', reason: 'customer is angry' });
    expect(received.handoff?.[0]?.instruction).toBe('offer a refund');
  });

  it('retries a 5xx twice with growing backoff, then answers', async () => {
    expect(await agentFor('flaky').reply(input)).toEqual({ kind: 'no_reply', reason: 'nothing to add' });
    expect(received.flaky).toHaveLength(3);
    expect(sleeps).toEqual([188, 375]); // 250 and 500 ms steps, equal jitter at random() = 0.5
  });

  it('waits at least Retry-After on 429', async () => {
    expect(await agentFor('limited').reply(input)).toEqual({ kind: 'answer', text: 'ok' });
    expect(sleeps).toEqual([2000]);
  });

  it('gives up after the last attempt with a transient error', async () => {
    const error = await failureOf(agentFor('down').reply(input));
    expect(error).toMatchObject({ code: 'server_error', transient: true, status: 500, attempts: 3 });
    expect(received.down).toHaveLength(3);
  });

  it('times out an attempt that hangs, and retries it', async () => {
    const started = performance.now();
    const error = await failureOf(agentFor('hang', { timeoutMs: 150, attempts: 2 }).reply(input));
    expect(error).toMatchObject({ code: 'timeout', transient: true, status: null, attempts: 2 });
    expect(received.hang).toHaveLength(2);
    expect(performance.now() - started).toBeLessThan(2_000);
  });

  it.each([
    ['garbage', /malformed AI answer/],
    ['empty', /malformed AI answer/],
    ['html', /not JSON/],
  ])('treats a malformed answer (%s) as a non-transient error, without retrying', async (scenario, message) => {
    const error = await failureOf(agentFor(scenario).reply(input));
    expect(error).toMatchObject({ code: 'bad_response', transient: false, status: 200, attempts: 1 });
    expect(error.message).toMatch(message);
    expect(received[scenario]).toHaveLength(1);
  });

  it('does not retry a 4xx', async () => {
    const error = await failureOf(agentFor('bad-request').reply(input));
    expect(error).toMatchObject({ code: 'rejected', transient: false, status: 400, attempts: 1 });
    expect(error.message).toContain('unknown organization org-1');
    expect(received['bad-request']).toHaveLength(1);
  });

  it('retries network errors and reports them as unreachable', async () => {
    let calls = 0;
    const refused: typeof fetch = async () => {
      calls += 1;
      throw new TypeError('fetch failed', { cause: Object.assign(new Error('connect'), { code: 'ECONNREFUSED' }) });
    };
    const error = await failureOf(agentFor('answer', { fetch: refused }).reply(input));
    expect(error).toMatchObject({ code: 'unreachable', transient: true, attempts: 3 });
    expect(error.message).toContain('ECONNREFUSED');
    expect(calls).toBe(3);
  });

  it("propagates the caller's abort as is and does not retry", async () => {
    const controller = new AbortController();
    const reason = new Error('session closed');
    setTimeout(() => controller.abort(reason), 50);
    await expect(agentFor('hang').reply({ ...input, signal: controller.signal })).rejects.toBe(reason);
    expect(received.hang).toHaveLength(1);
  });

  it('keeps a base path and tolerates a trailing slash', async () => {
    expect(await agentFor('answer/', {}).reply(input)).toMatchObject({ kind: 'answer' });
  });

  it('refuses a non-http URL', () => {
    expect(() => createHttpAgent({ url: 'ftp://example.com' })).toThrow(/http/);
  });
});

describe('backoffDelay', () => {
  const opts = (r: number) => ({ backoffMs: 250, maxBackoffMs: 5_000, random: () => r });
  it.each([
    [1, 0, null, 125], [1, 1, null, 250], [2, 0.5, null, 375], [6, 1, null, 5_000], [10, 0, null, 2_500],
    [1, 0, 3_000, 3_000], [1, 0, 60_000, 5_000],
  ])('attempt %i, random %d, Retry-After %s → %i ms', (attempt, r, retryAfter, expected) => {
    expect(backoffDelay(attempt, opts(r), retryAfter)).toBe(expected);
  });
});
