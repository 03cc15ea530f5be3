import type { Actor, AiControlState, AiStateView, CardStatus, HubSpotConnection } from '@opencx/shared';
import { initialAiControl } from '@opencx/shared';
import type { Store } from '../store/store';

export type StatusView = Extract<CardStatus, { view: 'status' }>;

export interface CardReadModel {
  status: CardStatus;
  /** The portal's connection when the view is `status` (commands check its auth mode). */
  connection: HubSpotConnection | null;
}

/**
 * What the card shows for (portal, ticket): store reads only, never HubSpot, so that the card opens fast.
 * The ticket is looked up by (portalId, ticketId) from the signed URL, and the session must belong to the
 * portal's organization, so one portal can never read another portal's conversation.
 */
export async function readCardStatus(
  store: Pick<Store, 'connections' | 'ticketLinks' | 'sessions' | 'aiControl' | 'chatHistory'>,
  portalId: number,
  ticketId: string,
): Promise<CardReadModel> {
  const connection = await store.connections.findByPortal(portalId);
  if (!connection || connection.status === 'disconnected') {
    return { status: { view: 'not_connected', portalId }, connection: null };
  }
  if (connection.status === 'reconnect_required') {
    return { status: { view: 'reconnect_required', portalId, reason: connection.statusReason }, connection };
  }
  const noConversation: CardReadModel = { status: { view: 'no_conversation', ticketId }, connection };
  const link = await store.ticketLinks.findByTicket(portalId, ticketId);
  if (!link || link.status !== 'active') return noConversation;
  const session = await store.sessions.get(link.sessionId);
  if (!session || session.organizationId !== connection.organizationId || session.portalId !== portalId) {
    return noConversation;
  }
  const control = (await store.aiControl.load(session.id))?.control ?? initialAiControl();
  const lastReply = await store.chatHistory.findLatestByRole(session.id, 'ai');
  return {
    connection,
    status: {
      view: 'status',
      ticketId,
      sessionId: session.id,
      ai: toAiStateView(control.state),
      // An erased reply (privacy deletion) has nothing left to show.
      lastAiReply: lastReply && lastReply.erasedAt === null ? { text: lastReply.text, at: lastReply.createdAt } : null,
    },
  };
}

/** The contract's copy of the state: only the fields the card may see, whatever the stored JSON holds. */
export function toAiStateView(state: AiControlState): AiStateView {
  switch (state.status) {
    case 'active':
      return { status: 'active', since: state.since };
    case 'paused':
      return {
        status: 'paused',
        source: state.source,
        by: copyActor(state.by),
        reason: state.reason,
        since: state.since,
        until: state.until,
      };
    case 'handoff_requested':
      return {
        status: 'handoff_requested',
        reason: state.reason,
        requestedBy: copyActor(state.requestedBy),
        since: state.since,
        requestId: state.requestId,
      };
    default: {
      const exhaustive: never = state;
      throw new Error(`unknown AI state ${JSON.stringify(exhaustive)}`);
    }
  }
}

const copyActor = ({ kind, id, name }: Actor): Actor => ({ kind, id, name });
