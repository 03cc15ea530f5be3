// The background intake some measurements run under (issue 9: "under a background load of 1,000 events/s"):
// signed webhook batches of customer messages at a fixed rate, spread over the configuration's portals, sent from
// a child process of its own (servers/background.ts) so that it never delays the runner's latency clocks.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { BackgroundSpec } from '../servers/background';
import type { PortalFixture } from './fixtures';
import type { Signer } from './hubspot-requests';
import type { LoadFigures } from './load';
import { spawnTs } from './processes';

export interface BackgroundOptions {
  serverUrl: string;
  signer: Signer;
  portals: PortalFixture[];
  eventsPerS: number;
  batch: number;
  rampMs: number;
}

/**
 * Runs `work` while the background load runs (after `rampMs` to reach its rate); returns both results. `work` is
 * told when the load started sending (performance.now(); null without a load).
 */
export async function underBackground<T>(
  options: BackgroundOptions,
  work: (startedAt: number | null) => Promise<T>,
): Promise<{ value: T; background: LoadFigures | null }> {
  if (options.eventsPerS <= 0) return { value: await work(null), background: null };
  const spec: BackgroundSpec = {
    serverUrl: options.serverUrl,
    app: options.signer.app,
    portalIds: options.portals.map((p) => p.portalId),
    eventsPerS: options.eventsPerS,
    batch: options.batch,
  };
  const dir = mkdtempSync(join(tmpdir(), 'opencx-bench-background-'));
  const specFile = join(dir, 'spec.json');
  writeFileSync(specFile, JSON.stringify(spec));
  const child = spawnTs('background', 'bench/servers/background.ts', { env: { BENCH_BACKGROUND_SPEC_FILE: specFile } });
  try {
    await child.waitForLine('BENCH_READY ', 60_000);
    const startedAt = performance.now();
    await sleep(options.rampMs);
    const value = await work(startedAt);
    const figures = child.waitForLine<LoadFigures>('BENCH_BACKGROUND ', 30_000);
    child.process.kill('SIGTERM');
    return { value, background: await figures };
  } finally {
    await child.stop(5_000);
    rmSync(dir, { recursive: true, force: true });
  }
}
