// The background intake, in its own process: signed webhook batches at a fixed rate, spread over the given
// portals, until SIGTERM; then its figures on one line. Latency probes (card reads, takeovers) run in the runner,
// so that the work of generating and signing this load never delays the clock they are timed with.
// Paced (one batch every 1/rate s), not autocannon's `overallRate`: autocannon lets each connection send its
// per-second quota at once on every one-second tick, so "100 batches/s" arrived as one burst of 1,000 events per
// second, and the latency probes measured that burst once a second instead of a steady 1,000 events/s.
import { readFileSync } from 'node:fs';
import type { BenchApp } from '../lib/fixtures';
import { messageEvent, Signer } from '../lib/hubspot-requests';
import { startPaced } from '../lib/paced';

export interface BackgroundSpec {
  serverUrl: string;
  app: BenchApp;
  portalIds: number[];
  eventsPerS: number;
  batch: number;
}

// A file, not an environment variable: 10,000 portal ids are more than one variable may hold (128 KB on Linux).
const specPath = process.env['BENCH_BACKGROUND_SPEC_FILE'];
if (!specPath) throw new Error('BENCH_BACKGROUND_SPEC_FILE is required');
const spec = JSON.parse(readFileSync(specPath, 'utf8')) as BackgroundSpec;
const signer = new Signer(spec.app, spec.serverUrl);
let cursor = 0;
const load = startPaced({
  url: spec.serverUrl,
  durationS: 3600,
  ratePerS: spec.eventsPerS / spec.batch,
  eventsPerRequest: spec.batch,
  next: () => {
    const now = Date.now();
    return signer.webhookBatch(
      Array.from({ length: spec.batch }, () => messageEvent(spec.app, { portalId: spec.portalIds[cursor++ % spec.portalIds.length]! }, now)),
    );
  },
});
process.stdout.write('BENCH_READY {}\n');
process.once('SIGTERM', () => {
  load.stop();
  void load.done.then((figures) => {
    process.stdout.write(`BENCH_BACKGROUND ${JSON.stringify(figures)}\n`);
    process.exit(0);
  });
});
