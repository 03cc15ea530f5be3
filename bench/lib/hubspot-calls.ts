// HubSpot API calls per handled event, by kind of event: the sandbox's contract guard counts every API call by
// portal and contract operation (test/sandbox/api-calls.ts); the runner reads the probe portal's counts before an
// event and after the server is done with it (the expected outcome visible in the sandbox AND the count unchanged
// for `stableMs`). No background load, one event at a time, on a fresh server. Each kind's first event is a
// warm-up (cold caches: an owner's name, our ticket property created on first write), shown apart and not counted.
// A figure above its committed budget (settings.ts HUBSPOT_CALL_BUDGETS) is a missed target; the floor beside it
// is the least the product's behaviour needs (FLOORS: why each).
import { setTimeout as sleep } from 'node:timers/promises';
import { AI_STATUS_PROPERTY_NAME } from '@opencx/shared';
import type { PortalFixture } from './fixtures';
import { ownerChangeEvent, type Signer } from './hubspot-requests';
import { BudgetPacer, deliverAndAwaitReply, FIRST_QUESTION, FOLLOW_UP_QUESTION } from './reply-latency';
import { isAiReply, waitForMessage, type Conversation, type SandboxClient, type SandboxUserFixture } from './sandbox-client';
import { HUBSPOT_CALL_BUDGETS } from './settings';
import { send } from './takeover';

export const CALL_KINDS = ['new-conversation', 'follow-up', 'takeover', 'pause-ai', 'resume-ai', 'send-to-ai', 'request-handoff'] as const;
export type CallKind = (typeof CALL_KINDS)[number];

export const CALL_KIND_LABELS: Record<CallKind, string> = {
  'new-conversation': 'new conversation with a ticket: first customer message, answered by the AI',
  'follow-up': 'follow-up customer message, answered by the AI',
  takeover: 'ticket owner set to a person (takeover) of a ticket linked to a conversation',
  'pause-ai': 'workflow action: pause AI',
  'resume-ai': 'workflow action: resume AI',
  'send-to-ai': 'workflow action: send to OpenCX AI (with an instruction), the reply posted and the callback completed',
  'request-handoff': 'workflow action: request handoff (ticket already linked)',
};

/** The least each kind needs, given what the product promises; bench/README.md discusses the gap. */
export const FLOORS: Record<CallKind, { calls: number; why: string }> = {
  'new-conversation': {
    calls: 4,
    why: 'read the thread with its ticket (the webhook names the thread only: contact, channel and ticket come from HubSpot), ' +
      'read the message (its text and author), write the AI status onto the newly linked ticket (the property mirrors it from the ' +
      'start), send the reply (its channel taken from the message just read)',
  },
  'follow-up': { calls: 2, why: 'read the message, send the reply' },
  takeover: {
    calls: 1,
    why: "write `paused` into the ticket's AI status property; the new owner's name (for the card) is cached per owner, so it costs nothing in steady state",
  },
  'pause-ai': { calls: 1, why: "write `paused` into the ticket's AI status property" },
  'resume-ai': { calls: 1, why: "write `active` into the ticket's AI status property" },
  'send-to-ai': {
    calls: 2,
    why: "send the reply, complete the workflow's callback (the channel is known from the customer message read when it arrived)",
  },
  'request-handoff': {
    calls: 4,
    why: "the internal comment on the conversation, one update of the ticket (AI status `handoff` and the handed-off mark together), the note on the ticket, the message telling the customer",
  },
};

const BUDGETS: Record<CallKind, number> = HUBSPOT_CALL_BUDGETS;

export interface CallKindFigures {
  kind: CallKind;
  label: string;
  /** Measured events (the warm-up not included). */
  samples: number;
  failures: number;
  failureReasons: string[];
  /** Mean HubSpot calls per event. */
  perEvent: number;
  min: number;
  max: number;
  /** Calls of the warm-up event (cold caches); null when it failed. */
  coldCalls: number | null;
  /** Mean calls per event by contract operation id. */
  byOperation: Record<string, number>;
  floor: number;
  floorWhy: string;
  budget: number;
}

export interface HubSpotCallsFigures {
  stableMs: number;
  kinds: CallKindFigures[];
}

export interface HubSpotCallsOptions {
  serverUrl: string;
  signer: Signer;
  sandbox: SandboxClient;
  /** Connected, with an AI sender (the seeded first portal). */
  portal: PortalFixture;
  samples: number;
  /** The server is done when the outcome is visible and the portal's call count has not moved for this long. */
  stableMs: number;
  sampleTimeoutMs: number;
}

type Counts = Record<string, number>;
const total = (counts: Counts) => Object.values(counts).reduce((a, b) => a + b, 0);
const minus = (after: Counts, before: Counts): Counts =>
  Object.fromEntries(Object.entries(after).map(([op, n]) => [op, n - (before[op] ?? 0)]).filter(([, n]) => (n as number) !== 0));

interface Outcome {
  calls: Counts | null;
  failure?: string;
}

/**
 * One event: `act` delivers it (and may wait for a reply); then the runner waits until `visible` holds and the
 * portal's count has been still for `stableMs`. The calls are the count's difference. Events are spaced by what
 * they cost (`pacer`): a call held back by the server for its portal's budget would look like a still count.
 */
async function countCalls(
  options: HubSpotCallsOptions & { pacer: BudgetPacer },
  what: string,
  act: () => Promise<string | null>,
  visible: (since: Counts) => Promise<boolean>,
): Promise<Outcome> {
  await options.pacer.ready();
  const startedAt = performance.now();
  const outcome = await countOnce(options, what, act, visible);
  if (outcome.calls) options.pacer.spent(total(outcome.calls), startedAt);
  return outcome;
}

async function countOnce(
  options: HubSpotCallsOptions,
  what: string,
  act: () => Promise<string | null>,
  visible: (since: Counts) => Promise<boolean>,
): Promise<Outcome> {
  const { sandbox, portal } = options;
  const before = await sandbox.apiCalls(portal.portalId);
  const problem = await act();
  if (problem) return { calls: null, failure: `${what}: ${problem}` };
  const deadline = performance.now() + options.sampleTimeoutMs;
  let seen = false;
  let last = before;
  let stillSince = performance.now();
  while (performance.now() < deadline) {
    const now = await sandbox.apiCalls(portal.portalId);
    if (total(now) !== total(last)) stillSince = performance.now();
    last = now;
    if (!seen && (await visible(minus(now, before)))) {
      seen = true;
      stillSince = Math.max(stillSince, performance.now());
    }
    if (seen && performance.now() - stillSince >= options.stableMs) return { calls: minus(last, before) };
    await sleep(20);
  }
  return { calls: seen ? minus(last, before) : null, failure: `${what}: ${seen ? 'calls still going on' : 'outcome not visible'} after ${options.sampleTimeoutMs} ms` };
}

function figuresOf(kind: CallKind, outcomes: Outcome[]): CallKindFigures {
  const [warmup, ...measured] = outcomes;
  const counted = measured.flatMap((o) => (o.calls && !o.failure ? [o.calls] : []));
  const perEvent = counted.map(total);
  const byOperation: Counts = {};
  for (const calls of counted) for (const [op, n] of Object.entries(calls)) byOperation[op] = (byOperation[op] ?? 0) + n / counted.length;
  const failures = outcomes.flatMap((o) => (o.failure ? [o.failure] : []));
  return {
    kind,
    label: CALL_KIND_LABELS[kind],
    samples: counted.length,
    failures: failures.length,
    failureReasons: failures.slice(0, 5),
    perEvent: perEvent.length ? perEvent.reduce((a, b) => a + b, 0) / perEvent.length : NaN,
    min: perEvent.length ? Math.min(...perEvent) : NaN,
    max: perEvent.length ? Math.max(...perEvent) : NaN,
    coldCalls: warmup?.calls && !warmup.failure ? total(warmup.calls) : null,
    byOperation,
    floor: FLOORS[kind].calls,
    floorWhy: FLOORS[kind].why,
    budget: BUDGETS[kind],
  };
}

/**
 * Opens 1 + `samples` conversations and takes each through every kind in turn: first message, follow-up, pause,
 * resume, send to AI, an agent taking the ticket, handoff (each kind leaves the AI in the state the next needs).
 */
export async function measureHubSpotCalls(given: HubSpotCallsOptions): Promise<HubSpotCallsFigures> {
  const options = { ...given, pacer: new BudgetPacer() };
  const { sandbox, portal, signer } = options;
  const app = signer.app;
  const agent: SandboxUserFixture = await sandbox.createUser(portal.portalId, { email: `agent-${Date.now()}@bench.example`, firstName: 'Bench', lastName: 'Agent' });
  const aiStatusIs = (conversation: Conversation, status: string) => async () =>
    (await sandbox.ticket(portal.portalId, conversation.ticketId)).properties[AI_STATUS_PROPERTY_NAME] === status;
  const replied = async (conversation: Conversation, messageId: string): Promise<string | null> =>
    (await deliverAndAwaitReply(options, conversation, messageId)).failure ?? null;
  const action = (conversation: Conversation, name: string, inputFields: Record<string, string>) => async (): Promise<string | null> => {
    const execution = await sandbox.runWorkflowAction({
      portalId: portal.portalId, action: name, actionUrl: `${options.serverUrl}/hubspot/actions/${name}`, ticketId: conversation.ticketId, inputFields,
    });
    const state = execution.outputFields?.['hs_execution_state'];
    return state === 'SUCCESS' || state === 'BLOCK' ? null : `${name} answered ${JSON.stringify(execution.attempts.at(-1) ?? execution.status).slice(0, 200)}`;
  };

  const conversations: Conversation[] = [];
  const outcomes = Object.fromEntries(CALL_KINDS.map((k) => [k, [] as Outcome[]])) as Record<CallKind, Outcome[]>;
  const each = async (kind: CallKind, run: (c: Conversation) => Promise<Outcome>) => {
    for (const conversation of conversations) outcomes[kind].push(await run(conversation));
  };
  const always = async () => true;

  for (let i = 0; i <= options.samples; i++) {
    let conversation: Conversation & { messageId: string } | undefined;
    outcomes['new-conversation'].push(await countCalls(options, `conversation ${i}`, async () => {
      conversation = await sandbox.openConversation(portal.portalId, FIRST_QUESTION);
      return replied(conversation, conversation.messageId);
    }, always));
    conversations.push(conversation!);
  }
  await each('follow-up', (c) =>
    countCalls(options, `thread ${c.threadId}`, async () => replied(c, await sandbox.postCustomerMessage(c, FOLLOW_UP_QUESTION)), always));
  await each('pause-ai', (c) => countCalls(options, `ticket ${c.ticketId}`, action(c, 'pause-ai', { reason: 'benchmark' }), aiStatusIs(c, 'paused')));
  await each('resume-ai', (c) => countCalls(options, `ticket ${c.ticketId}`, action(c, 'resume-ai', {}), aiStatusIs(c, 'active')));
  await each('send-to-ai', (c) =>
    countCalls(options, `ticket ${c.ticketId}`, async () => {
      const reply = waitForMessage(sandbox, c, (m) => isAiReply(m, app, portal), options.sampleTimeoutMs);
      const problem = await action(c, 'send-to-ai', { instruction: 'Explain our refund policy' })();
      return problem ?? ((await reply) ? null : 'no AI reply');
    }, async (calls) => (calls['callbacks.complete'] ?? 0) > 0));
  await each('takeover', (c) =>
    countCalls(options, `ticket ${c.ticketId}`, async () => {
      await sandbox.setTicketOwner(portal.portalId, c.ticketId, agent);
      const takenBy = { ...portal, ownerId: agent.ownerId, userId: agent.userId };
      const accepted = await send(options.serverUrl, signer.webhookBatch([ownerChangeEvent(app, takenBy, c.ticketId, Date.now())]));
      return accepted.status === 200 ? null : `webhook answered HTTP ${accepted.status}: ${accepted.body.slice(0, 200)}`;
    }, aiStatusIs(c, 'paused')));
  await each('request-handoff', (c) =>
    countCalls(options, `ticket ${c.ticketId}`, action(c, 'request-handoff', { reason: 'The benchmark asks for a person' }), async () => {
      const ticket = await sandbox.ticket(portal.portalId, c.ticketId);
      return ticket.properties[AI_STATUS_PROPERTY_NAME] === 'handoff' && ticket.noteIds.length > 0;
    }));

  return { stableMs: options.stableMs, kinds: CALL_KINDS.map((kind) => figuresOf(kind, outcomes[kind])) };
}
