// What a customer feels: from HubSpot's `conversation.newMessage` delivery to the AI's reply present in the
// conversation, with the embedded FAQ agent as the AI. Per sample, a real conversation in the bench sandbox: the
// visitor writes (sandbox control API), the runner delivers the signed webhook for that message (the bench sandbox
// has no webhook target: the runner is HubSpot's webhook sender) and long-polls the sandbox until the reply is in
// the thread. Measured for the first message of a new conversation (its thread has a ticket, as HubSpot's help
// desk opens it) and for a follow-up in a conversation the AI already answered.
//
// Under a background of webhook events spread over the OTHER connected portals: each background event costs the
// server a HubSpot read, and HubSpot gives a portal 110 calls per 10 s (the server keeps to it,
// server/src/hubspot/rate-limiter.ts), so 1,000 events/s on the probes' own portal would make every reply wait for
// budget, which no real portal sees. For the same reason the probes themselves keep to their portal's budget
// (BudgetPacer). See bench/README.md, "Customer message to AI reply".
import { setTimeout as sleep } from 'node:timers/promises';
import { underBackground } from './background';
import type { BenchApp, PortalFixture } from './fixtures';
import type { Signer } from './hubspot-requests';
import { percentile, type LoadFigures } from './load';
import { isAiReply, newMessageEvent, waitForMessage, type Conversation, type SandboxClient } from './sandbox-client';
import { HUBSPOT_CALL_BUDGETS } from './settings';
import { send, type LatencyFigures } from './takeover';

/**
 * HubSpot calls per second the probes may cause in their portal: under HubSpot's 110 per rolling 10 s, which the
 * server keeps to (server/src/hubspot/rate-limiter.ts, each grant held 10.25 s). Faster probes would measure
 * the wait for the portal's budget, not the server.
 */
export const PROBE_CALLS_PER_S = 10;

/** Spaces events by the HubSpot calls each costs, so that the probes' portal stays within its budget. */
export class BudgetPacer {
  private next = 0;
  constructor(private readonly callsPerS = PROBE_CALLS_PER_S) {}
  /** Until the calls spent so far fit the budget. */
  async ready(): Promise<void> {
    const wait = this.next - performance.now();
    if (wait > 0) await sleep(wait);
  }
  /** An event that started at `startedAt` costs `calls`. */
  spent(calls: number, startedAt: number): void {
    this.next = Math.max(this.next, startedAt) + (calls * 1000) / this.callsPerS;
  }
}

/** What a probe costs its portal (the committed calls-per-event budgets, bench/lib/hubspot-calls.ts). */
const PROBE_CALLS = { newConversation: HUBSPOT_CALL_BUDGETS['new-conversation'], followUp: HUBSPOT_CALL_BUDGETS['follow-up'] };

/** The visitor's first question and the follow-up: both in the embedded FAQ (server/src/ai/faq.json), so the AI answers. */
export const FIRST_QUESTION = 'Hello, where is my order? It has not arrived yet.';
export const FOLLOW_UP_QUESTION = 'Thanks. How long does express shipping take?';

export interface ReplyLatencyFigures {
  newConversation: LatencyFigures;
  followUp: LatencyFigures;
  /**
   * When the server had caught up with the background (ms after it started; see caughtUp), before the first
   * probe; null: not within CATCH_UP_MAX_MS (the probes ran anyway, behind its backlog) or no background.
   */
  caughtUpAfterMs: number | null;
  /** Portals the background load went to (the connected ones other than the probes'). */
  backgroundPortals: number;
  background: LoadFigures | null;
}

export interface ReplyLatencyOptions {
  serverUrl: string;
  signer: Signer;
  sandbox: SandboxClient;
  /** The probes' portal: connected, with an AI sender. */
  portal: PortalFixture;
  backgroundPortals: PortalFixture[];
  samples: number;
  backgroundEventsPerS: number;
  backgroundBatch: number;
  backgroundRampMs: number;
  /** A reply not in the thread after this long is a failure (and counts as this value). */
  sampleTimeoutMs: number;
}

interface Sample {
  latencyMs: number;
  failure?: string;
}

/**
 * Delivers the webhook of a customer message already in the thread and waits for the AI's reply. The long poll
 * starts first, so the runner learns of the reply the moment the sandbox has it.
 */
export async function deliverAndAwaitReply(
  options: Pick<ReplyLatencyOptions, 'serverUrl' | 'signer' | 'sandbox' | 'portal' | 'sampleTimeoutMs'>,
  conversation: Conversation,
  messageId: string,
): Promise<Sample> {
  const app: BenchApp = options.signer.app;
  const reply = waitForMessage(options.sandbox, conversation, (m) => isAiReply(m, app, options.portal), options.sampleTimeoutMs);
  const sentAt = performance.now();
  const accepted = await send(options.serverUrl, options.signer.webhookBatch([newMessageEvent(app, conversation, messageId, Date.now())]));
  const what = `thread ${conversation.threadId}`;
  if (accepted.status !== 200) {
    await reply;
    return { latencyMs: options.sampleTimeoutMs, failure: `${what}: webhook answered HTTP ${accepted.status}: ${accepted.body.slice(0, 200)}` };
  }
  const seen = await reply;
  if (!seen) return { latencyMs: options.sampleTimeoutMs, failure: `${what}: no AI reply after ${options.sampleTimeoutMs} ms` };
  return { latencyMs: seen.seenAt - sentAt };
}

/** Background events' HubSpot calls the server has made so far: every portal's but the probes'. */
async function backgroundCalls(sandbox: SandboxClient, probePortalId: number): Promise<number> {
  const byPortal = await sandbox.allApiCalls();
  let calls = 0;
  for (const [key, byOperation] of Object.entries(byPortal)) {
    if (key === String(probePortalId) || !/^\d+$/.test(key)) continue;
    for (const n of Object.values(byOperation)) calls += n;
  }
  return calls;
}

const CATCH_UP_MAX_MS = 20_000;
/** Caught up: at most this much of the background (in ms of its rate) sent and not yet processed... */
const CATCH_UP_SLACK_MS = 100;
/** ...for this long (the end of a drain is still busier than the steady state). */
const CATCH_UP_HOLD_MS = 1000;

/**
 * Waits until the server has caught up with the background: each background event costs it exactly one HubSpot
 * call (the read of a thread HubSpot does not know), so it has caught up once it has made about as many calls as
 * events were sent. A freshly started server falls behind at first (its code not yet optimised), and the probes'
 * events would queue behind that backlog: a start-up effect, not the steady state the target is about.
 */
async function caughtUp(sandbox: SandboxClient, probePortalId: number, callsBefore: number, startedAt: number, eventsPerS: number): Promise<number | null> {
  let since: number | null = null;
  for (;;) {
    const elapsedMs = performance.now() - startedAt;
    const processed = (await backgroundCalls(sandbox, probePortalId)) - callsBefore;
    if (processed >= (eventsPerS * (elapsedMs - CATCH_UP_SLACK_MS)) / 1000) {
      since ??= elapsedMs;
      if (elapsedMs - since >= CATCH_UP_HOLD_MS) return since;
    } else {
      since = null;
    }
    if (elapsedMs > CATCH_UP_MAX_MS) return null;
    await sleep(100);
  }
}

function figuresOf(samples: Sample[]): LatencyFigures {
  const latencies = samples.map((s) => s.latencyMs).sort((a, b) => a - b);
  const failures = samples.flatMap((s) => (s.failure ? [s.failure] : []));
  return {
    samples: samples.length,
    failures: failures.length,
    failureReasons: failures.slice(0, 5),
    p50Ms: percentile(latencies, 0.5),
    p90Ms: percentile(latencies, 0.9),
    p99Ms: percentile(latencies, 0.99),
    maxMs: latencies[latencies.length - 1] ?? NaN,
  };
}

/**
 * One warm-up conversation (not counted), then `samples` new conversations one at a time, each followed by a
 * follow-up in the conversation before it (answered one sample earlier): both kinds are sampled alternately,
 * over the same stretch of background load.
 */
export async function measureReplyLatency(options: ReplyLatencyOptions): Promise<ReplyLatencyFigures> {
  const { sandbox, portal } = options;
  const callsBefore = await backgroundCalls(sandbox, portal.portalId);
  const { value, background } = await underBackground(
    {
      serverUrl: options.serverUrl,
      signer: options.signer,
      portals: options.backgroundPortals,
      eventsPerS: options.backgroundPortals.length > 0 ? options.backgroundEventsPerS : 0,
      batch: options.backgroundBatch,
      rampMs: options.backgroundRampMs,
    },
    async (startedAt) => {
      const caughtUpAfterMs = startedAt === null ? null : await caughtUp(sandbox, portal.portalId, callsBefore, startedAt, options.backgroundEventsPerS);
      const first: Sample[] = [];
      const followUps: Sample[] = [];
      const pacer = new BudgetPacer();
      const paced = async (calls: number, conversation: Conversation, messageId: string): Promise<Sample> => {
        await pacer.ready();
        pacer.spent(calls, performance.now());
        return deliverAndAwaitReply(options, conversation, messageId);
      };
      const followUp = async (conversation: Conversation) =>
        paced(PROBE_CALLS.followUp, conversation, await sandbox.postCustomerMessage(conversation, FOLLOW_UP_QUESTION));
      let previous: Conversation | null = null;
      for (let i = 0; i <= options.samples; i++) {
        const conversation = await sandbox.openConversation(portal.portalId, FIRST_QUESTION);
        const sample = await paced(PROBE_CALLS.newConversation, conversation, conversation.messageId);
        if (i > 0) first.push(sample);
        if (previous) {
          const answered = await followUp(previous);
          if (i > 1) followUps.push(answered);
        }
        previous = conversation;
      }
      if (previous) followUps.push(await followUp(previous));
      return { newConversation: figuresOf(first), followUp: figuresOf(followUps), caughtUpAfterMs };
    },
  );
  return { ...value, backgroundPortals: options.backgroundPortals.length, background };
}
