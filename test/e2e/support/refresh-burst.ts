// A second server process for the cross-process refresh test: opens the same database with the same key, builds
// the real services, waits for "go" on stdin, asks for the portal's access token N times at once and prints the
// tokens it got as one JSON line. Run with `node --import tsx`.
import { createInterface } from 'node:readline';
import { createFixedClock, createSilentLogger, loadConfig, openStore } from '@opencx/server';
import { createServices } from '@opencx/server/services';

const portalId = Number(process.env['BURST_PORTAL_ID']);
const count = Number(process.env['BURST_COUNT'] ?? '50');
const clock = createFixedClock(Number(process.env['BURST_NOW_MS']));
const config = loadConfig(process.env);
const logger = createSilentLogger();
const store = openStore(config, logger, clock.now());
const services = createServices({ config, store, clock, logger });

const lines = createInterface({ input: process.stdin });
process.stdout.write('ready\n');
for await (const line of lines) {
  if (line.trim() !== 'go') continue;
  const results = await Promise.allSettled(Array.from({ length: count }, () => services.tokens.accessTokenFor(portalId)));
  const tokens = results.map((r) => (r.status === 'fulfilled' ? r.value : `error:${(r.reason as Error).message}`));
  process.stdout.write(`${JSON.stringify({ tokens })}\n`);
  break;
}
await store.close();
process.exit(0);
