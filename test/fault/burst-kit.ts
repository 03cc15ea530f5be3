// What the fault tests share: a HubSpot-like world (sandbox portals connected in a store), signed webhook batches
// built from it, and the checks that every stored event had its effect exactly once, read from the SQLite file.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dedupKeyOf, parseWebhookEvent } from '@opencx/shared';
import { createSilentLogger, loadConfig, openConfiguredStore } from '@opencx/server';
import type { BackgroundWorkOptions } from '@opencx/server/workers';
import type { Sandbox, SandboxMessage, WebhookEvent } from '../sandbox/index';
import { connectPortalInStore, type DirectConnection } from '../support/direct-connect';
import { newEncryptionKey, serverProcessEnv } from '../support/server-process';
import type { ReadOnlyDb } from '../support/sqlite-readonly';

export type RawEvent = Record<string, unknown>;

/** Polls and backoffs of milliseconds, so that a test waits for work, not for production's minutes. */
export const FAST_CHILD_WORKERS: BackgroundWorkOptions = {
  inbox: { pollIntervalMs: 20, leaseMs: 5_000, retry: { maxAttempts: 12, baseDelayMs: 50, maxDelayMs: 500 } },
  effects: { pollIntervalMs: 20, leaseMs: 5_000 },
  timedResume: { pollIntervalMs: 50 },
  callbackCompletions: { pollIntervalMs: 20, retryBaseMs: 20, retryMaxMs: 200 },
};

export const dedupKey = (event: RawEvent): string => {
  const parsed = parseWebhookEvent(event);
  if (!parsed.ok) throw new Error(`not a valid webhook event: ${JSON.stringify(parsed.issues)}`);
  return dedupKeyOf(parsed.value);
};

export interface World extends WorldFiles {
  connections: DirectConnection[];
  /** Two agents per portal: the assignees of the lanes. */
  agents: Map<number, number[]>;
  /** Sandbox threads with customer messages (the AI answers them through HubSpot). */
  threads: { portalId: number; threadId: string }[];
  /** The conversation.creation and newMessage events the sandbox generated for those threads (not delivered). */
  threadEvents: WebhookEvent[];
}

export interface WorldFiles {
  dir: string;
  databasePath: string;
  env: Record<string, string>;
}

/**
 * A data folder and the environment of the server processes on it (one key, shared by all of them); with
 * `databaseUrl`, they share that PostgreSQL database instead of the folder's SQLite file.
 */
export function newWorldFiles(sandbox: Sandbox, sandboxUrl: string, publicBaseUrl?: string, databaseUrl?: string): WorldFiles {
  const dir = mkdtempSync(join(tmpdir(), 'opencx-fault-'));
  const databasePath = join(dir, 'opencx.sqlite');
  const env = serverProcessEnv({
    databasePath,
    sandboxUrl,
    app: sandbox.appCredentials,
    tokenEncryptionKey: newEncryptionKey(),
    ...(publicBaseUrl ? { publicBaseUrl } : {}),
    ...(databaseUrl ? { databaseUrl } : {}),
  });
  return { dir, databasePath, env };
}

/**
 * Portals in the sandbox, each connected (policy `resume`, so every assign/unassign is a state change) with two
 * agents, and live-chat threads whose customers ask something the embedded FAQ answers. Without a webhook target
 * the events the sandbox generates are only recorded (the test delivers them itself); with one, they flow.
 */
export async function populateWorld(
  sandbox: Sandbox,
  files: WorldFiles,
  options: { portals: number; threadsPerPortal: number; messagesPerThread: number; firstPortalId: number },
): Promise<World> {
  const store = await openConfiguredStore(loadConfig(files.env), createSilentLogger());
  const connections: DirectConnection[] = [];
  const agents = new Map<number, number[]>();
  const threads: World['threads'] = [];
  const firstEvent = sandbox.state.webhookEvents.length;
  try {
    for (let p = 0; p < options.portals; p += 1) {
      const portalId = options.firstPortalId + p;
      sandbox.control.createPortal({
        portalId,
        users: [
          { email: `ai@p${portalId}.example.com`, firstName: 'OpenCX', lastName: 'AI' },
          { email: `jane@p${portalId}.example.com`, firstName: 'Jane', lastName: 'Agent' },
          { email: `sam@p${portalId}.example.com`, firstName: 'Sam', lastName: 'Support' },
        ],
      });
      const users = Object.values(sandbox.state.portals[String(portalId)]!.users).map((u) => u.userId);
      connections.push(await connectPortalInStore(store, sandbox, { portalId, userId: users[0]!, unassignPolicy: 'resume' }));
      agents.set(portalId, users.slice(1));
      for (let t = 0; t < options.threadsPerPortal; t += 1) {
        const contact = sandbox.control.createContact({ portalId, email: `c${t}@p${portalId}.example.com` });
        const thread = sandbox.control.createThread({ portalId, contactId: contact.id, channel: 'LIVE_CHAT', text: `Where is my order ${t}-0?` });
        for (let m = 1; m < options.messagesPerThread; m += 1) {
          sandbox.control.postCustomerMessage({ portalId, threadId: thread.id, text: `Where is my order ${t}-${m}?` });
        }
        threads.push({ portalId, threadId: thread.id });
      }
    }
  } finally {
    await store.close();
  }
  const threadIds = new Set(threads.map((t) => t.threadId));
  const threadEvents = sandbox.state.webhookEvents.slice(firstEvent).filter(
    (e) =>
      (e.subscriptionType === 'conversation.newMessage' || e.subscriptionType === 'conversation.creation') &&
      threadIds.has(String(e.objectId)),
  );
  return { ...files, connections, agents, threads, threadEvents };
}

export async function buildWorld(
  sandbox: Sandbox,
  sandboxUrl: string,
  options: { portals: number; threadsPerPortal: number; messagesPerThread: number; firstPortalId: number },
): Promise<World> {
  return populateWorld(sandbox, newWorldFiles(sandbox, sandboxUrl), options);
}

/** Sessions of threads that exist only in our store: their lanes need no HubSpot call to be processed. */
export async function seedLaneSessions(world: World, lanes: Lane[]): Promise<void> {
  const store = await openConfiguredStore(loadConfig(world.env), createSilentLogger());
  try {
    const now = Date.now();
    for (const lane of lanes) {
      await store.sessions.create({
        id: lane.sessionId,
        organizationId: `org_${lane.portalId}`,
        portalId: lane.portalId,
        threadId: lane.threadId,
        contactId: null,
        channel: 'chat',
        status: 'open',
        createdAt: now,
        updatedAt: now,
      });
    }
  } finally {
    await store.close();
  }
}

/** One conversation's ownership changes: assign, unassign, assign… (under `resume`, each one a state change). */
export interface Lane {
  sessionId: string;
  portalId: number;
  threadId: string;
  events: RawEvent[];
  /** The agent of the last event (odd counts end assigned). */
  lastAgent: number | null;
}

let nextEventId = 5_000_000;

export function assigneeSubscriptionId(sandbox: Sandbox): number {
  const sub = sandbox.state.webhook.subscriptions.find((s) => s.subscriptionType === 'conversation.propertyChange');
  if (!sub) throw new Error('no conversation.propertyChange subscription');
  return sub.id;
}

export function buildLane(
  sandbox: Sandbox,
  input: { index: number; portalId: number; agents: number[]; events: number; occurredAt: number },
): Lane {
  const threadId = String(900_000_000 + input.index);
  const subscriptionId = assigneeSubscriptionId(sandbox);
  const events: RawEvent[] = [];
  let lastAgent: number | null = null;
  for (let i = 0; i < input.events; i += 1) {
    const agent = i % 2 === 0 ? input.agents[(i / 2) % input.agents.length]! : null;
    lastAgent = agent;
    events.push({
      eventId: nextEventId++,
      subscriptionId,
      portalId: input.portalId,
      appId: sandbox.appCredentials.appId,
      occurredAt: input.occurredAt + i,
      subscriptionType: 'conversation.propertyChange',
      attemptNumber: 0,
      objectId: Number(threadId),
      propertyName: 'assignedTo',
      propertyValue: agent === null ? '' : `A-${agent}`,
      changeSource: 'CONVERSATIONS',
    });
  }
  return { sessionId: `ses_lane_${input.index}`, portalId: input.portalId, threadId, events, lastAgent };
}

/** Events of a portal nobody connected: recorded and ignored (some are takeovers, applied during the request). */
export function unconnectedEvents(appId: number, portalId: number, count: number, occurredAt: number): RawEvent[] {
  return Array.from({ length: count }, (_, i) => {
    const base = { eventId: nextEventId++, portalId, appId, occurredAt: occurredAt + i, attemptNumber: 0 };
    switch (i % 3) {
      case 0:
        return { ...base, subscriptionId: 1, subscriptionType: 'conversation.newMessage', objectId: 800_000_000 + i, messageId: `u${base.eventId}`, messageType: 'MESSAGE' };
      case 1:
        return { ...base, subscriptionId: 2, subscriptionType: 'conversation.propertyChange', objectId: 810_000_000 + i, propertyName: 'assignedTo', propertyValue: 'A-1' };
      default:
        return { ...base, subscriptionId: 3, subscriptionType: 'object.propertyChange', objectId: 820_000_000 + i, objectTypeId: '0-5', propertyName: 'hubspot_owner_id', propertyValue: '77' };
    }
  });
}

/** The AI audit trail a lane must leave when each of its events was applied once, in order. */
export const expectedLaneTrail = (lane: Lane) => lane.events.map((e) => (e['propertyValue'] === '' ? 'ai_resumed' : 'ai_paused'));

export interface StoredFacts {
  inbox: Map<string, string>;
  trails: Map<string, string[]>;
  controls: Map<string, { status: string; byId: string | null }>;
  chat: { sessionId: string; role: string; hubspotMessageId: string | null; createdAt: number }[];
  sessionsByThread: Map<string, string>;
  unfinishedReplies: number;
}

// The same SQL on both engines; readFacts (SQLite) and readFactsPg (postgres-readonly.ts) run it.
export const FACT_QUERIES = {
  inbox: 'SELECT dedup_key, status FROM webhook_inbox',
  events: 'SELECT session_id, type FROM ai_control_events ORDER BY id',
  controls: 'SELECT session_id, state FROM ai_control',
  chat: 'SELECT session_id, role, hubspot_message_id, created_at FROM chat_history ORDER BY created_at, id',
  sessions: 'SELECT id, portal_id, thread_id FROM chat_sessions WHERE thread_id IS NOT NULL',
  unfinishedReplies: "SELECT count(*) AS n FROM ai_replies WHERE status NOT IN ('answered', 'handoff')",
} as const;
export type FactRows = Record<keyof typeof FACT_QUERIES, Record<string, unknown>[]>;

export function readFacts(db: ReadOnlyDb): StoredFacts {
  const rows = Object.fromEntries(Object.entries(FACT_QUERIES).map(([name, sql]) => [name, db.prepare(sql).all()])) as FactRows;
  return factsFrom(rows);
}

export function factsFrom(rows: FactRows): StoredFacts {
  const inbox = new Map((rows.inbox as { dedup_key: string; status: string }[]).map((r) => [r.dedup_key, r.status]));
  const trails = new Map<string, string[]>();
  for (const r of rows.events as { session_id: string; type: string }[]) {
    trails.set(r.session_id, [...(trails.get(r.session_id) ?? []), r.type]);
  }
  const controls = new Map(
    (rows.controls as { session_id: string; state: string }[]).map((r) => {
      const state = JSON.parse(r.state) as { status: string; by?: { id: string | null } };
      return [r.session_id, { status: state.status, byId: state.by?.id ?? null }];
    }),
  );
  const chat = (rows.chat as { session_id: string; role: string; hubspot_message_id: string | null; created_at: number }[]).map((r) => ({
    sessionId: r.session_id,
    role: r.role,
    hubspotMessageId: r.hubspot_message_id,
    createdAt: Number(r.created_at),
  }));
  const sessionsByThread = new Map(
    (rows.sessions as { id: string; portal_id: number; thread_id: string }[]).map((r) => [`${r.portal_id}:${r.thread_id}`, r.id]),
  );
  const unfinishedReplies = Number((rows.unfinishedReplies[0] as { n: number | string }).n);
  return { inbox, trails, controls, chat, sessionsByThread, unfinishedReplies };
}

/** The AI's messages in a sandbox thread: what HubSpot's customers actually received. */
export function aiMessagesIn(sandbox: Sandbox, portalId: number, threadId: string): SandboxMessage[] {
  const thread = sandbox.state.portals[String(portalId)]!.threads[threadId]!;
  return thread.messages.filter((m) => m.client.clientType === 'INTEGRATION' && m.type === 'MESSAGE');
}

/**
 * Problems (empty when none) with the conversations the AI answered: every customer message stored once, each AI
 * reply posted to HubSpot exactly once and recorded, and the latest customer message of every thread answered.
 * `storedMessageIds` are the customer messages whose webhook events are in the inbox.
 */
export function replyProblems(sandbox: Sandbox, world: World, facts: StoredFacts, storedMessageIds: Set<string>): string[] {
  const problems: string[] = [];
  const seen = new Map<string, number>();
  for (const row of facts.chat) if (row.hubspotMessageId) seen.set(row.hubspotMessageId, (seen.get(row.hubspotMessageId) ?? 0) + 1);
  for (const [id, n] of seen) if (n > 1) problems.push(`message ${id} stored ${n} times`);
  for (const { portalId, threadId } of world.threads) {
    const sessionId = facts.sessionsByThread.get(`${portalId}:${threadId}`);
    const thread = sandbox.state.portals[String(portalId)]!.threads[threadId]!;
    const customerIds = thread.messages.filter((m) => m.direction === 'INCOMING').map((m) => m.id);
    const storedCustomer = customerIds.filter((id) => storedMessageIds.has(id));
    const rows = facts.chat.filter((r) => r.sessionId === sessionId);
    const rowIds = new Set(rows.map((r) => r.hubspotMessageId));
    for (const id of customerIds) {
      if (storedMessageIds.has(id) && !rowIds.has(id)) problems.push(`thread ${threadId}: acknowledged message ${id} not in chat history`);
      if (!storedMessageIds.has(id) && rowIds.has(id)) problems.push(`thread ${threadId}: message ${id} in chat history without its event`);
    }
    const posted = aiMessagesIn(sandbox, portalId, threadId).map((m) => m.id).sort();
    const recorded = rows.filter((r) => r.role === 'ai').map((r) => r.hubspotMessageId ?? '(none)').sort();
    if (JSON.stringify(posted) !== JSON.stringify(recorded)) {
      problems.push(`thread ${threadId}: AI replies posted ${JSON.stringify(posted)} but recorded ${JSON.stringify(recorded)}`);
    }
    if (posted.length > storedCustomer.length) problems.push(`thread ${threadId}: ${posted.length} AI replies to ${storedCustomer.length} customer messages`);
    if (storedCustomer.length > 0 && rows.at(-1)?.role !== 'ai') problems.push(`thread ${threadId}: the latest customer message was not answered`);
  }
  return problems;
}

/** Problems with the lanes: each stored lane's trail exactly as its events dictate, an absent lane untouched. */
export function laneProblems(lanes: Lane[], facts: StoredFacts): string[] {
  const problems: string[] = [];
  for (const lane of lanes) {
    const stored = lane.events.map((e) => facts.inbox.has(dedupKey(e)));
    const trail = facts.trails.get(lane.sessionId) ?? [];
    const control = facts.controls.get(lane.sessionId);
    if (stored.every(Boolean)) {
      const expected = expectedLaneTrail(lane);
      if (JSON.stringify(trail) !== JSON.stringify(expected)) problems.push(`${lane.sessionId}: trail ${trail.join(',')} ≠ ${expected.join(',')}`);
      const expectStatus = lane.lastAgent === null ? 'active' : 'paused';
      if (control?.status !== expectStatus) problems.push(`${lane.sessionId}: AI ${control?.status} instead of ${expectStatus}`);
      if (lane.lastAgent !== null && control?.byId !== String(lane.lastAgent)) problems.push(`${lane.sessionId}: paused by ${control?.byId}, not ${lane.lastAgent}`);
    } else if (stored.some(Boolean)) {
      problems.push(`${lane.sessionId}: only ${stored.filter(Boolean).length} of ${stored.length} events of one batch stored`);
    } else if (trail.length > 0 || control) {
      problems.push(`${lane.sessionId}: changed although none of its events was stored`);
    }
  }
  return problems;
}
