import { ticketAiStatusOf, type ChatChannel, type ChatSession } from '@opencx/shared';
import { AppError } from '../errors';
import type { ConversationThread } from '../hubspot';
import type { Store } from '../store/store';
import type { PortalContext } from './sync-deps';
import { isNotFound } from '../failure';
import { newId } from './ids';

/** HubSpot's channel ids (docs/hubspot-contract.md §5.5): 1000 live chat, 1002 email; anything else is `other`. */
export const channelOf = (originalChannelId: string | undefined): ChatChannel =>
  originalChannelId === '1000' ? 'chat' : originalChannelId === '1002' ? 'email' : 'other';

/**
 * The session of a thread, created on first sight (conversation.creation, or the first event about a thread we
 * missed): contact and channel come from HubSpot's thread. Null when the thread no longer exists. Creating is
 * idempotent: of two workers racing, the loser reads the winner's session.
 */
export async function ensureThreadSession(ctx: PortalContext, threadId: string): Promise<ChatSession | null> {
  const { deps, portalId } = ctx;
  const existing = await deps.store.sessions.findByThread(portalId, threadId);
  if (existing) return existing;
  let thread: ConversationThread;
  let ticketId: string | null;
  try {
    ({ thread, ticketId } = await deps.hubspot.getThreadWithTicket(portalId, threadId));
  } catch (err) {
    if (isNotFound(err)) return null;
    throw err;
  }
  const session: ChatSession = {
    id: newId('ses'),
    organizationId: ctx.organizationId,
    portalId,
    threadId,
    contactId: thread.associatedContactId ? String(thread.associatedContactId) : null,
    channel: channelOf(thread.originalChannelId === undefined ? undefined : String(thread.originalChannelId)),
    status: 'open',
    createdAt: ctx.now,
    updatedAt: ctx.now,
  };
  try {
    await deps.store.transaction(async (tx) => {
      await tx.sessions.create(session);
      if (ticketId && !(await tx.ticketLinks.findByTicket(portalId, ticketId))) {
        await linkTicket(tx, { portalId, ticketId, sessionId: session.id }, ctx.now);
      }
    });
  } catch (err) {
    if (err instanceof AppError && err.code === 'conflict') return deps.store.sessions.findByThread(portalId, threadId);
    throw err;
  }
  return session;
}

/**
 * Links a ticket to a session and writes the session's AI status onto the ticket (the property mirrors it from
 * the start). Re-linking the same pair changes nothing. Returns whether the link is new.
 */
export async function linkTicket(
  tx: Store,
  link: { portalId: number; ticketId: string; sessionId: string },
  now: number,
): Promise<boolean> {
  const before = await tx.ticketLinks.findByTicket(link.portalId, link.ticketId);
  if (before && before.status === 'active' && before.sessionId === link.sessionId) return false;
  await tx.ticketLinks.link(link, now);
  const control = await tx.aiControl.load(link.sessionId);
  const status = control ? ticketAiStatusOf(control.control.state) : 'active';
  await tx.outbox.enqueue([{ sessionId: link.sessionId, portalId: link.portalId, effect: { type: 'setTicketAiStatus', status } }], now);
  return true;
}
