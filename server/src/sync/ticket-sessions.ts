import type { ChatSession } from '@opencx/shared';
import type { Store } from '../store/store';
import type { PortalContext } from './sync-deps';
import { isNotFound } from '../failure';
import { ensureThreadSession, linkTicket } from './thread-sessions';

export interface TicketSessions {
  sessions: ChatSession[];
  /** Writes the link found through HubSpot (none when the ticket was already linked); run inside the commit. */
  link(tx: Store): Promise<void>;
}

const none: TicketSessions = { sessions: [], link: async () => {} };

/**
 * The session a ticket acts on: its stored link, or — the first time — the session of the ticket's
 * conversation thread, found through HubSpot's Conversations API (`threads?associatedTicketId=`, the documented
 * route; a ticket's CRM associations do not include threads) and created if we never saw the thread. A ticket with several threads is linked to the first (a ticket belongs to one session at a time).
 * Unlinked tickets (deleted) and stale links act on nothing.
 */
export async function resolveTicketSessions(ctx: PortalContext, ticketId: string): Promise<TicketSessions> {
  const { deps, portalId } = ctx;
  const stored = await deps.store.ticketLinks.findByTicket(portalId, ticketId);
  if (stored) {
    if (stored.status !== 'active') return none;
    const session = await deps.store.sessions.get(stored.sessionId);
    return session && session.status !== 'deleted' ? { sessions: [session], link: none.link } : none;
  }
  let threadIds: string[];
  try {
    threadIds = await deps.hubspot.listTicketThreads(portalId, ticketId);
  } catch (err) {
    if (isNotFound(err)) return none;
    throw err;
  }
  for (const threadId of threadIds) {
    const session = await ensureThreadSession(ctx, threadId);
    if (!session || session.status === 'deleted') continue;
    return {
      sessions: [session],
      link: async (tx) => {
        await linkTicket(tx, { portalId, ticketId, sessionId: session.id }, ctx.now);
      },
    };
  }
  return none;
}
