// The slow-body attack against the server as production runs it (compiled, production heap flags, default HTTP
// settings): 150 connections from one address announce 1 MiB, send all but 1 KiB of it and go quiet, plus bodies
// that stall after 10 bytes on every signed route, and headers that stall half-way. The per-client cap turns most away at once, Node's request
// timeout cuts the rest within seconds, resident memory stays under the README's 150 MB, and what the bodies held
// is freed once they are cut.
import { setTimeout as sleep } from 'node:timers/promises';
import { loadConfig } from '@opencx/server/config';
import { expect, it } from 'vitest';
import { getFrom } from '../support/get-from';
import { useSandboxedServer } from '../support/sandboxed-server';
import type { MemorySample } from '../support/server-process';
import { plausiblySigned, stallRequest } from './stalled-requests';

const MiB = 1024 * 1024;
/** The README: "the heap limits hold its peak near 150 MB under saturating load". */
const README_PEAK_RSS = 150 * MiB;
const DEFAULTS = loadConfig({}).http;

const world = useSandboxedServer({ logLevel: 'warn', process: { compiled: true } });

it('cuts stalled bodies within the request timeout, stays under the README memory figure, and frees what they held', async () => {
  const server = world.server;
  // Warm up (first requests compile code paths), then measure the idle process. From another address than the
  // flood's, whose connections must all count against its own cap.
  for (let i = 0; i < 20; i += 1) await getFrom('127.0.0.20', `${server.url}/healthz`);
  const before = await server.memory();
  const rssBefore = server.rss();

  const flood = Array.from({ length: 150 }, () =>
    stallRequest({ port: server.port, path: '/hubspot/webhooks', headers: plausiblySigned(), contentLength: MiB, send: MiB - 1024 }),
  );
  // From other addresses (the flood's own would be over its cap): a body that stalls after 10 bytes on each route.
  const trickles = ['/hubspot/webhooks', '/hubspot/actions/pause-ai', '/hubspot/card/ai-status'].map((path, i) =>
    stallRequest({ port: server.port, localAddress: `127.0.0.${i + 2}`, path, headers: plausiblySigned(), contentLength: MiB, send: 10 }),
  );
  const slowHeaders = stallRequest({ port: server.port, localAddress: '127.0.0.8', path: '/hubspot/webhooks', contentLength: 10, send: 0, stallInHeaders: true });
  const all = [...flood, ...trickles, slowHeaders];

  let peakRss = server.rss();
  const sampler = setInterval(() => (peakRss = Math.max(peakRss, server.rss())), 100);
  await Promise.all(all.map((r) => r.closed));
  const lastClose = Date.now();
  clearInterval(sampler);

  expect(slowHeaders.status()).toBe(408);
  expect(slowHeaders.closedAfterMs()).toBeGreaterThanOrEqual(DEFAULTS.headersTimeoutMs - 100);
  expect(slowHeaders.closedAfterMs()).toBeLessThan(DEFAULTS.headersTimeoutMs + 3_000);
  // Over the cap: answered 429 and closed at once. The server stops draining such a body after a moment, so the
  // close can be a reset that overtakes the 429 at the client: the status is then missing, never another one.
  const refused = flood.filter((r) => (r.closedAfterMs() ?? Infinity) < DEFAULTS.requestTimeoutMs / 2);
  expect(refused).toHaveLength(150 - DEFAULTS.maxConnectionsPerClient);
  expect(new Set(refused.map((r) => r.status() ?? 'reset'))).toContain(429);
  for (const r of refused) expect([429, null]).toContain(r.status());
  const cut = [...flood.filter((r) => !refused.includes(r)), ...trickles];
  expect(cut).toHaveLength(DEFAULTS.maxConnectionsPerClient + trickles.length);
  for (const r of cut) {
    expect(r.status()).toBe(408);
    // Node looks for expired requests once a second; the rest is slack for a busy machine.
    expect(r.closedAfterMs()).toBeGreaterThanOrEqual(DEFAULTS.requestTimeoutMs - 100);
    expect(r.closedAfterMs()).toBeLessThan(DEFAULTS.requestTimeoutMs + 3_000);
  }
  expect(peakRss, `peak RSS ${(peakRss / MiB).toFixed(1)} MB (idle ${(rssBefore / MiB).toFixed(1)} MB)`).toBeLessThan(README_PEAK_RSS);

  // The server lets go of a cut request's body once it has handled the abort, a few event-loop turns after the
  // close the client sees: give it a moment, then it must be back at its idle level.
  const held = (m: MemorySample) => m.heapUsed + m.arrayBuffers;
  let after = await server.memory();
  for (const deadline = Date.now() + 5_000; held(after) - held(before) >= 4 * MiB && Date.now() < deadline; ) {
    await sleep(250);
    after = await server.memory();
  }
  console.info(
    `slow-body attack: idle RSS ${(rssBefore / MiB).toFixed(1)} MB, peak ${(peakRss / MiB).toFixed(1)} MB; ` +
      `heap+buffers ${(held(before) / MiB).toFixed(1)} MB before, ${(held(after) / MiB).toFixed(1)} MB after; ` +
      `cut after ${Math.max(...cut.map((r) => r.closedAfterMs() ?? 0))} ms, memory back ${Date.now() - lastClose} ms after the last cut`,
  );
  expect(held(after) - held(before)).toBeLessThan(4 * MiB);

  expect((await getFrom('127.0.0.20', `${server.url}/healthz`)).status).toBe(200);
  expect(server.output()).not.toMatch(/"level":"(error|fatal)"/);
}, 60_000);

it('refuses a body that cannot be signed before reading it', async () => {
  const server = world.server;
  const started = Date.now();
  const res = stallRequest({ port: server.port, localAddress: '127.0.0.9', path: '/hubspot/webhooks', contentLength: MiB, send: 0 });
  await res.closed;
  expect(res.status()).toBe(401);
  expect(Date.now() - started).toBeLessThan(2_000);
});
