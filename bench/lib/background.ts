// The background intake some measurements run under (issue 9: "under a background load of 1,000 events/s"):
// signed webhook batches of customer messages at a fixed rate, spread over the configuration's portals.
import { setTimeout as sleep } from 'node:timers/promises';
import type { PortalFixture } from './fixtures';
import { messageEvent, type Signer } from './hubspot-requests';
import { startLoad, type LoadFigures } from './load';

export interface BackgroundOptions {
  serverUrl: string;
  signer: Signer;
  portals: PortalFixture[];
  eventsPerS: number;
  batch: number;
  rampMs: number;
}

/** Runs `work` while the background load runs (after `rampMs` to reach its rate); returns both results. */
export async function underBackground<T>(options: BackgroundOptions, work: () => Promise<T>): Promise<{ value: T; background: LoadFigures | null }> {
  if (options.eventsPerS <= 0) return { value: await work(), background: null };
  let cursor = 0;
  const load = startLoad({
    url: options.serverUrl,
    connections: 10,
    durationS: 3600,
    overallRate: options.eventsPerS / options.batch,
    eventsPerRequest: options.batch,
    next: () => {
      const now = Date.now();
      return options.signer.webhookBatch(
        Array.from({ length: options.batch }, () => messageEvent(options.signer.app, options.portals[cursor++ % options.portals.length]!, now)),
      );
    },
  });
  try {
    await sleep(options.rampMs);
    return { value: await work(), background: await stopAndCollect(load) };
  } catch (err) {
    load.stop();
    throw err;
  }
}

async function stopAndCollect(load: ReturnType<typeof startLoad>): Promise<LoadFigures> {
  load.stop();
  return load.done;
}
