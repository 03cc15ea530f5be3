// Takeover latency: an agent becomes the owner of a ticket whose conversation the AI is answering; how long from
// the owner-change webhook arriving until the card API shows the AI paused. Measured sample by sample (a fresh
// ticket and session each time) while a background load of webhook events keeps the intake and workers busy.
import { setTimeout as sleep } from 'node:timers/promises';
import { underBackground } from './background';
import type { PortalFixture, TicketFixture } from './fixtures';
import { ownerChangeEvent, type BenchRequest, type Signer } from './hubspot-requests';
import { percentile, type LoadFigures } from './load';

export interface TakeoverOptions {
  serverUrl: string;
  signer: Signer;
  portals: PortalFixture[];
  tickets: TicketFixture[];
  /** Background intake in events per second (0 = none), sent as batches of `backgroundBatch`. */
  backgroundEventsPerS: number;
  backgroundBatch: number;
  backgroundRampMs: number;
  /** Pause between polls of the card API. */
  pollIntervalMs: number;
  /** A sample that is not visible after this long counts as a failure (and as this value). */
  sampleTimeoutMs: number;
}

/** Latency samples of a probe: a failed sample counts as its timeout. */
export interface LatencyFigures {
  samples: number;
  failures: number;
  failureReasons: string[];
  p50Ms: number;
  p90Ms: number;
  p99Ms: number;
  maxMs: number;
}

export interface TakeoverFigures extends LatencyFigures {
  /** Card reads per sample until paused was visible (including the one that saw it). */
  meanPolls: number;
  background: LoadFigures | null;
}

const portalOf = (portals: PortalFixture[], ticket: TicketFixture) => portals.find((p) => p.portalId === ticket.portalId)!;

export async function send(serverUrl: string, request: BenchRequest): Promise<{ status: number; body: string }> {
  const res = await fetch(serverUrl + request.path, {
    method: request.method,
    headers: request.headers,
    ...(request.body === undefined ? {} : { body: request.body }),
    signal: AbortSignal.timeout(10_000),
  });
  return { status: res.status, body: await res.text() };
}

/** The AI status the card shows for a ticket: 'active', 'paused', ... or a description of what came back instead. */
async function cardAiStatus(options: TakeoverOptions, ticket: TicketFixture): Promise<string> {
  const res = await send(options.serverUrl, options.signer.cardStatus(portalOf(options.portals, ticket), ticket));
  if (res.status !== 200) return `HTTP ${res.status}: ${res.body.slice(0, 200)}`;
  const body = JSON.parse(res.body) as { view?: string; ai?: { status?: string } };
  return body.view === 'status' ? (body.ai?.status ?? 'no ai status') : `view ${body.view}`;
}

export async function measureTakeover(options: TakeoverOptions): Promise<TakeoverFigures> {
  const latencies: number[] = [];
  const failureReasons: string[] = [];
  let polls = 0;
  const { background } = await underBackground(
    { serverUrl: options.serverUrl, signer: options.signer, portals: options.portals, eventsPerS: options.backgroundEventsPerS, batch: options.backgroundBatch, rampMs: options.backgroundRampMs },
    async () => {
      for (const ticket of options.tickets) {
        const sample = await takeOver(options, ticket);
        polls += sample.polls;
        if (sample.failure) failureReasons.push(sample.failure);
        if (sample.latencyMs !== null) latencies.push(sample.latencyMs);
      }
    },
  );
  latencies.sort((a, b) => a - b);
  return {
    samples: latencies.length,
    failures: failureReasons.length,
    failureReasons: failureReasons.slice(0, 5),
    p50Ms: percentile(latencies, 0.5),
    p90Ms: percentile(latencies, 0.9),
    p99Ms: percentile(latencies, 0.99),
    maxMs: latencies[latencies.length - 1] ?? NaN,
    meanPolls: polls / Math.max(1, latencies.length),
    background,
  };
}

/** One sample: the card shows active, the owner-change webhook goes in, the card is read until it shows paused. */
async function takeOver(
  options: TakeoverOptions,
  ticket: TicketFixture,
): Promise<{ latencyMs: number | null; polls: number; failure?: string }> {
  const before = await cardAiStatus(options, ticket);
  if (before !== 'active') return { latencyMs: null, polls: 0, failure: `ticket ${ticket.ticketId}: card showed "${before}" before the takeover` };
  const portal = portalOf(options.portals, ticket);
  const sentAt = performance.now();
  const accepted = await send(options.serverUrl, options.signer.webhookBatch([ownerChangeEvent(options.signer.app, portal, ticket.ticketId, Date.now())]));
  if (accepted.status !== 200) {
    return { latencyMs: null, polls: 0, failure: `ticket ${ticket.ticketId}: webhook answered HTTP ${accepted.status}: ${accepted.body.slice(0, 200)}` };
  }
  let seen = '';
  let polls = 0;
  while (performance.now() - sentAt < options.sampleTimeoutMs) {
    polls++;
    seen = await cardAiStatus(options, ticket);
    if (seen === 'paused') return { latencyMs: performance.now() - sentAt, polls };
    await sleep(options.pollIntervalMs);
  }
  return { latencyMs: options.sampleTimeoutMs, polls, failure: `ticket ${ticket.ticketId}: still "${seen}" after ${options.sampleTimeoutMs} ms` };
}
