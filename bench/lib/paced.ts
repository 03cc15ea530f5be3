// An open-loop load at a fixed rate: one request every 1/rate s whatever the answers, over a keep-alive pool,
// each timed from write to full response. For latency at a realistic rate (autocannon's rate limiting sends in
// bursts, which times its own queueing).
import { Agent, request } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import type { BenchRequest } from './hubspot-requests';
import { percentile, type LoadFigures } from './load';

export interface PacedOptions {
  url: string;
  ratePerS: number;
  /** Stops on its own after this long, or at stop(). */
  durationS: number;
  next: () => BenchRequest;
  /** For the events/s figure (webhook batches). Default 1. */
  eventsPerRequest?: number;
}

export async function runPaced(options: PacedOptions): Promise<LoadFigures> {
  return startPaced(options).done;
}

export function startPaced(options: PacedOptions): { stop(): void; done: Promise<LoadFigures> } {
  let stopped = false;
  return { stop: () => void (stopped = true), done: pace(options, () => stopped) };
}

async function pace(options: PacedOptions, stopped: () => boolean): Promise<LoadFigures> {
  const target = new URL(options.url);
  const agent = new Agent({ keepAlive: true, maxSockets: 20 });
  const latencies: number[] = [];
  const statusCodes: Record<string, number> = {};
  let errors = 0;
  const inFlight = new Set<Promise<void>>();
  const send = (r: BenchRequest): Promise<void> =>
    new Promise((resolve) => {
      const started = performance.now();
      const req = request(
        { agent, host: target.hostname, port: target.port, method: r.method, path: r.path, headers: r.headers, timeout: 10_000 },
        (res) => {
          res.resume();
          res.on('end', () => {
            latencies.push(performance.now() - started);
            statusCodes[String(res.statusCode)] = (statusCodes[String(res.statusCode)] ?? 0) + 1;
            resolve();
          });
        },
      );
      req.on('error', () => {
        errors++;
        resolve();
      });
      req.end(r.body);
    });

  const intervalMs = 1000 / options.ratePerS;
  const t0 = performance.now();
  for (let i = 0; !stopped() && performance.now() - t0 < options.durationS * 1000; i++) {
    const p = send(options.next());
    inFlight.add(p);
    void p.then(() => inFlight.delete(p));
    const wait = t0 + (i + 1) * intervalMs - performance.now();
    if (wait > 0) await sleep(wait);
  }
  await Promise.all(inFlight);
  const durationS = (performance.now() - t0) / 1000;
  agent.destroy();
  latencies.sort((a, b) => a - b);
  const ok = Object.entries(statusCodes).reduce((n, [code, count]) => (code.startsWith('2') ? n + count : n), 0);
  return {
    durationS,
    requests: latencies.length,
    ok,
    non2xx: latencies.length - ok,
    errors,
    timeouts: 0,
    statusCodes,
    rps: ok / durationS,
    eventsPerS: (ok * (options.eventsPerRequest ?? 1)) / durationS,
    p50Ms: percentile(latencies, 0.5),
    p90Ms: percentile(latencies, 0.9),
    p99Ms: percentile(latencies, 0.99),
    maxMs: latencies[latencies.length - 1] ?? NaN,
  };
}
