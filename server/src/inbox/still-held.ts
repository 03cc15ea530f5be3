import type { Actor, ChatSession } from '@opencx/shared';
import { userIdOfActor } from '../sync/actors';
import type { SyncDeps } from '../sync/sync-deps';

/**
 * Who still holds the other side of a conversation once one side was unassigned: the thread's assignee when
 * a ticket owner was cleared, a linked ticket's owner when the thread was unassigned. Only asked when the
 * organization's policy would resume the AI, so the common path makes no HubSpot call. A HubSpot failure
 * propagates, and the event is retried: resuming the AI on a guess could answer over an agent.
 */
export async function agentHoldingThread(deps: SyncDeps, session: ChatSession): Promise<Actor | null> {
  if (!session.threadId) return null;
  const thread = await deps.hubspot.getThread(session.portalId, session.threadId);
  const userId = userIdOfActor(thread?.assignedTo);
  return userId ? { kind: 'hubspot_user', id: userId, name: null } : null;
}

export async function ownerHoldingTickets(deps: SyncDeps, session: ChatSession): Promise<Actor | null> {
  const links = await deps.store.ticketLinks.listBySession(session.id, 'active');
  for (const link of links) {
    const ticket = await deps.hubspot.getTicket(session.portalId, link.ticketId, { properties: ['hubspot_owner_id'] });
    if (ticket?.ownerId) return { kind: 'hubspot_owner', id: ticket.ownerId, name: null };
  }
  return null;
}
