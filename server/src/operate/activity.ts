import type { Actor, AiAuditEvent, AiStatus, ChatMessage, ChatSession, Timestamp } from '@opencx/shared';
import type { AppDeps } from '../deps';
import type { DeadLetter } from '../store/operations.store';
import { cachedActorName } from '../sync/actors';

export const CONVERSATIONS_PER_PAGE = 20;
/** The timeline shows this many of the latest messages and audit events of a conversation. */
const TIMELINE_DEPTH = 200;
const FAILED_EFFECTS_SCANNED = 500;

type Deps = Pick<AppDeps, 'store' | 'ownerNames'>;

export interface ConversationSummary {
  session: ChatSession;
  aiStatus: AiStatus;
  lastMessage: ChatMessage | null;
}

export interface ConversationPage {
  conversations: ConversationSummary[];
  page: number;
  hasMore: boolean;
}

export type TimelineEntry =
  | { kind: 'message'; at: Timestamp; message: ChatMessage }
  | { kind: 'ai_event'; at: Timestamp; event: AiAuditEvent }
  | { kind: 'failed_effect'; at: Timestamp; failure: DeadLetter };

export interface ConversationTimeline {
  session: ChatSession;
  aiStatus: AiStatus;
  entries: TimelineEntry[];
}

async function aiStatusOf(deps: Deps, sessionId: string): Promise<AiStatus> {
  return (await deps.store.aiControl.load(sessionId))?.control.state.status ?? 'active';
}

/** One page (from 1) of the organization's conversations, most recently active first, each with its AI state. */
export async function listConversations(deps: Deps, organizationId: string, page: number): Promise<ConversationPage> {
  // One more than shown tells whether there is a next page.
  const sessions = await deps.store.sessions.listByOrganization(organizationId, CONVERSATIONS_PER_PAGE + 1, (page - 1) * CONVERSATIONS_PER_PAGE);
  const shown = sessions.slice(0, CONVERSATIONS_PER_PAGE);
  const conversations = await Promise.all(
    shown.map(async (session) => ({
      session,
      aiStatus: await aiStatusOf(deps, session.id),
      lastMessage: (await deps.store.chatHistory.listRecent(session.id, 1))[0] ?? null,
    })),
  );
  return { conversations, page, hasMore: sessions.length > CONVERSATIONS_PER_PAGE };
}

/**
 * A conversation's story, oldest first: its messages (customer, AI, agent), the AI state changes with who caused
 * them (the audit events, handoffs among them) and the writes to HubSpot that failed for good. Null when the session
 * is not the organization's (the page answers 404, as for a session that does not exist).
 */
export async function conversationTimeline(deps: Deps, organizationId: string, sessionId: string): Promise<ConversationTimeline | null> {
  const session = await deps.store.sessions.get(sessionId);
  if (!session || session.organizationId !== organizationId) return null;
  const [messages, events, deadLetters, aiStatus] = await Promise.all([
    deps.store.chatHistory.listRecent(session.id, TIMELINE_DEPTH),
    deps.store.aiControl.listEvents(session.id, TIMELINE_DEPTH),
    session.threadId ? deps.store.operations.listDeadLetters(session.portalId, FAILED_EFFECTS_SCANNED) : Promise.resolve([]),
    aiStatusOf(deps, session.id),
  ]);
  const entries: TimelineEntry[] = [
    ...messages.map((message) => ({ kind: 'message' as const, at: message.createdAt, message })),
    ...events.map((event) => ({
      kind: 'ai_event' as const,
      at: event.at,
      event: { ...event, actor: { ...event.actor, name: cachedActorName(deps.ownerNames, session.portalId, event.actor) } },
    })),
    ...deadLetters
      .filter((d) => d.kind === 'effect' && d.conversation === session.threadId)
      .map((failure) => ({ kind: 'failed_effect' as const, at: failure.failedAt, failure })),
  ];
  // Stable: at the same millisecond, a message comes before the state change it caused.
  entries.sort((a, b) => a.at - b.at);
  return { session, aiStatus, entries };
}

/** Who an audit event names: the person or workflow, as the admin knows them. */
export function actorLabel(actor: Actor): string {
  switch (actor.kind) {
    case 'ai':
      return 'OpenCX AI';
    case 'system':
      return actor.name ?? 'OpenCX';
    case 'workflow':
      return actor.name ? `Workflow ${actor.name}` : `Workflow${actor.id ? ` ${actor.id}` : ''}`;
    case 'hubspot_owner':
    case 'hubspot_user':
      return actor.name ?? `HubSpot ${actor.kind === 'hubspot_owner' ? 'owner' : 'user'} ${actor.id ?? 'unknown'}`;
  }
}
