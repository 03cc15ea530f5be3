import type { ActionObjectType, ChatSession, Timestamp } from '@opencx/shared';
import type { Store } from '../store/store';
import type { SyncDeps } from '../sync/sync-deps';
import { resolveTicketSessions } from '../sync/ticket-sessions';

export interface EnrolledObject {
  objectType: ActionObjectType;
  objectId: string;
}

export interface EnrolledSessions {
  sessions: ChatSession[];
  /** A ticket link found through HubSpot, written in the transaction that acts (nothing when already stored). */
  link(tx: Store): Promise<void>;
}

const noLink = async () => {};

/**
 * The OpenCX conversations of the record a workflow enrolled: for a ticket, the session its link points to —
 * or, when we have no link yet (a workflow that runs on ticket creation can beat our webhook intake), the
 * session of the ticket's conversation thread as HubSpot associates it; for a contact, every open session,
 * newest first. Sessions of another organization are never returned, and a deleted conversation (its thread is
 * gone) has nothing left to control. HubSpot failures propagate (the caller answers them as transient or as
 * a lost connection).
 */
export async function findEnrolledSessions(
  deps: SyncDeps,
  organizationId: string,
  portalId: number,
  object: EnrolledObject,
  now: Timestamp,
): Promise<EnrolledSessions> {
  const belongs = (session: ChatSession | null): session is ChatSession =>
    session !== null && session.organizationId === organizationId && session.portalId === portalId && session.status !== 'deleted';

  switch (object.objectType) {
    case 'TICKET': {
      const stored = await deps.store.ticketLinks.findByTicket(portalId, object.objectId);
      if (stored) {
        if (stored.status !== 'active') return { sessions: [], link: noLink };
        const session = await deps.store.sessions.get(stored.sessionId);
        return { sessions: belongs(session) ? [session] : [], link: noLink };
      }
      const found = await resolveTicketSessions({ deps, portalId, organizationId, now }, object.objectId);
      const sessions = found.sessions.filter(belongs);
      return { sessions, link: sessions.length > 0 ? found.link : noLink };
    }
    case 'CONTACT': {
      const sessions = await deps.store.sessions.listByContact(portalId, object.objectId, 'open');
      return { sessions: sessions.filter(belongs), link: noLink };
    }
    default: {
      const exhaustive: never = object.objectType;
      throw new Error(`unknown object type ${String(exhaustive)}`);
    }
  }
}
