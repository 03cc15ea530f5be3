// One load run with autocannon from this (the runner's) process: every request built and signed afresh by
// `next()`, latencies recorded per response at sub-millisecond precision (autocannon's own histogram keeps whole ms).
import autocannon from 'autocannon';
import type { BenchRequest } from './hubspot-requests';

export interface LoadOptions {
  url: string;
  connections: number;
  durationS: number;
  /** A first run of this length whose results are thrown away (JIT, caches, connection set-up). */
  warmupS: number;
  /** Requests per second over all connections; unset = as fast as the server answers. */
  overallRate?: number;
  eventsPerRequest: number;
  next: () => BenchRequest;
}

export interface LoadFigures {
  durationS: number;
  requests: number;
  ok: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  statusCodes: Record<string, number>;
  /** 2xx responses per second. */
  rps: number;
  /** Events in 2xx responses per second (a webhook batch of n events counts n). */
  eventsPerS: number;
  p50Ms: number;
  p90Ms: number;
  p99Ms: number;
  maxMs: number;
}

export interface LoadRun {
  stop(): void;
  done: Promise<LoadFigures>;
}

/** Starts a run; `durationS` may be long when the caller stops it (a background load). */
export function startLoad(options: Omit<LoadOptions, 'warmupS'>): LoadRun {
  const latencies: number[] = [];
  const instance = autocannon({
    url: options.url,
    connections: options.connections,
    duration: options.durationS,
    timeout: 10,
    ...(options.overallRate ? { overallRate: options.overallRate } : {}),
    requests: [
      {
        setupRequest: (request) => {
          const next = options.next();
          request.method = next.method;
          request.path = next.path;
          request.headers = next.headers;
          request.body = next.body ?? '';
          return request;
        },
      },
    ],
  });
  (instance as unknown as NodeJS.EventEmitter).on('response', (_client: unknown, _status: number, _bytes: number, ms: number) => {
    latencies.push(ms);
  });
  const done = Promise.resolve(instance).then((result): LoadFigures => {
    latencies.sort((a, b) => a - b);
    const statusCodes: Record<string, number> = {};
    for (const [code, stat] of Object.entries(result.statusCodeStats ?? {})) statusCodes[code] = stat.count;
    const ok = result['2xx'];
    const durationS = result.duration;
    return {
      durationS,
      requests: latencies.length,
      ok,
      non2xx: result.non2xx,
      errors: result.errors,
      timeouts: result.timeouts,
      statusCodes,
      rps: ok / durationS,
      eventsPerS: (ok * options.eventsPerRequest) / durationS,
      p50Ms: percentile(latencies, 0.5),
      p90Ms: percentile(latencies, 0.9),
      p99Ms: percentile(latencies, 0.99),
      maxMs: latencies[latencies.length - 1] ?? NaN,
    };
  });
  return { stop: () => instance.stop(), done };
}

export async function runLoad(options: LoadOptions): Promise<LoadFigures> {
  if (options.warmupS > 0) await startLoad({ ...options, durationS: options.warmupS }).done;
  return startLoad(options).done;
}

/** Nearest-rank percentile of sorted values. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))]!;
}
