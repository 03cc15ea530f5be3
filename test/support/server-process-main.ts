// The child side of server-process.ts: the real server (startServer, as main.ts runs it) in its own Node process,
// with the test's worker tuning and an optional clock offset, which main.ts has no way to take. Configuration
// comes from the environment exactly as in production; OPENCX_TEST_START carries the JSON StartOptions subset.
import { createInterface } from 'node:readline';
import { loadConfig } from '@opencx/server/config';
import { startServer } from '@opencx/server/start-server';
import type { BackgroundWorkOptions } from '@opencx/server/workers';

interface ChildStart {
  workers?: BackgroundWorkOptions;
  /** Runs the server's clock ahead of the wall clock (e.g. past the leases a killed process left behind). */
  clockOffsetMs?: number;
  hubspotRateLimit?: { maxRequests: number; intervalMs: number; safetyMarginMs?: number };
}

const start = JSON.parse(process.env['OPENCX_TEST_START'] ?? '{}') as ChildStart;
let offset = start.clockOffsetMs ?? 0;
const server = await startServer(loadConfig(process.env), {
  clock: { now: () => Date.now() + offset },
  ...(start.workers ? { workers: start.workers } : {}),
  ...(start.hubspotRateLimit ? { hubspotRateLimit: start.hubspotRateLimit } : {}),
});
// `advance <ms>` on stdin moves the clock forward (ServerProcess.advanceClock); each is acknowledged on stdout.
let advances = 0;
createInterface({ input: process.stdin }).on('line', (line) => {
  const match = /^advance (\d+)$/.exec(line.trim());
  if (!match) return;
  offset += Number(match[1]);
  process.stdout.write(`OPENCX_TEST_CLOCK ${++advances}\n`);
});
process.stdout.write(`\nOPENCX_TEST_READY ${server.url}\n`);

const stop = () => {
  server.close().then(
    () => process.exit(0),
    () => process.exit(1),
  );
};
process.once('SIGTERM', stop);
process.once('SIGINT', stop);

// ServerProcess.memory(): what the process holds once garbage is collected (the parent starts it with --expose-gc).
process.on('SIGUSR2', () => {
  (globalThis as { gc?: () => void }).gc?.();
  const { rss, heapUsed, external, arrayBuffers } = process.memoryUsage();
  process.stdout.write(`\nOPENCX_TEST_MEMORY ${JSON.stringify({ rss, heapUsed, external, arrayBuffers })}\n`);
});
