import type { Actor, ChatSession } from '@opencx/shared';
import { ownerActorNow, userActorNow, userIdOfActor, withName } from '../sync/actors';
import { isNotFound } from '../failure';
import type { SyncDeps } from '../sync/sync-deps';

/**
 * Legacy Private App portals may not deliver ownership changes, so before the AI answers there, the ticket owner
 * and the thread assignee are read from HubSpot (the slower fallback). Returns the person who owns the
 * conversation, or null when nobody does; a conversation assigned to the AI user is still the AI's.
 */
export async function findHumanOwner(deps: SyncDeps, session: ChatSession, aiUserId: number | null): Promise<Actor | null> {
  if (session.threadId) {
    try {
      const thread = await deps.hubspot.getThread(session.portalId, session.threadId);
      const userId = userIdOfActor(thread.assignedTo);
      if (userId && userId !== (aiUserId === null ? null : String(aiUserId))) return withName(userActorNow(deps, session.portalId, userId));
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
  }
  for (const link of await deps.store.ticketLinks.listBySession(session.id, 'active')) {
    try {
      const ticket = await deps.hubspot.getTicket(session.portalId, link.ticketId, { associations: [] });
      if (ticket.ownerId) return withName(ownerActorNow(deps, session.portalId, ticket.ownerId));
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
  }
  return null;
}
