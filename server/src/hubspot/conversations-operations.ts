// Conversations inbox & messages v3 via client.apiRequest: the SDK does not generate these (docs/hubspot-contract.md
// docs/hubspot-contract.md §5.5, §7.6). Every call names what HubSpot's reference documents: `association=TICKET` when the ticket is
// wanted (threads carry `threadAssociations` only then), an explicit `sort` on every message list (the default is
// newest first), and the ticket's threads through `associatedTicketId`.
import { requestJson, requestJsonBody, segment } from './api-request';
import type {
  ConversationActor, ConversationMessage, ConversationThread, MessageOrder, MessagePage, PortalId, SendCommentInput,
  SendMessageInput, ThreadWithTicket,
} from './gateway-types';
import type { PortalCall } from './portal-call';

const BASE = '/conversations/v3/conversations';
const SORT: Record<MessageOrder, string> = { newestFirst: '-createdAt', oldestFirst: 'createdAt' };

type ThreadPage = { results?: ConversationThread[]; paging?: { next?: { after?: string } } };

const ticketOf = (thread: ConversationThread): string | null => {
  const id = (thread['threadAssociations'] as { associatedTicketId?: unknown } | undefined)?.associatedTicketId;
  return typeof id === 'string' || typeof id === 'number' ? String(id) : null;
};

export function createConversationsOperations(call: PortalCall) {
  return {
    getThread: (portalId: PortalId, threadId: string) =>
      call(portalId, 'getThread', { idempotent: true }, (client) =>
        requestJsonBody<ConversationThread>(client, { method: 'GET', path: `${BASE}/threads/${segment(threadId)}` })),

    /** The thread and the ticket HubSpot associates with it (`association=TICKET`). */
    getThreadWithTicket: (portalId: PortalId, threadId: string) =>
      call(portalId, 'getThreadWithTicket', { idempotent: true }, async (client): Promise<ThreadWithTicket> => {
        const thread = await requestJsonBody<ConversationThread>(client, {
          method: 'GET', path: `${BASE}/threads/${segment(threadId)}`, qs: { association: 'TICKET' },
        });
        return { thread, ticketId: ticketOf(thread) };
      }),

    /** The ids of the threads HubSpot associates with a ticket (`associatedTicketId`), at most `limit`. */
    listTicketThreads: (portalId: PortalId, ticketId: string, limit = 10) =>
      call(portalId, 'listTicketThreads', { idempotent: true }, async (client): Promise<string[]> => {
        const page = await requestJsonBody<ThreadPage>(client, {
          method: 'GET', path: `${BASE}/threads`, qs: { associatedTicketId: ticketId, limit },
        });
        return (page.results ?? []).map((t) => String(t.id));
      }),

    /** One page in the given order; pass `nextAfter` back as `after` for the next one. */
    listMessages: (portalId: PortalId, threadId: string, page: { order: MessageOrder; limit?: number; after?: string }) =>
      call(portalId, 'listMessages', { idempotent: true }, async (client): Promise<MessagePage> => {
        const body = await requestJsonBody<{ results?: ConversationMessage[]; paging?: { next?: { after?: string } } }>(client, {
          method: 'GET',
          path: `${BASE}/threads/${segment(threadId)}/messages`,
          qs: { sort: SORT[page.order], limit: page.limit, after: page.after },
        });
        const nextAfter = body.paging?.next?.after;
        return { results: body.results ?? [], ...(nextAfter ? { nextAfter } : {}) };
      }),

    getMessage: (portalId: PortalId, threadId: string, messageId: string) =>
      call(portalId, 'getMessage', { idempotent: true }, (client) =>
        requestJsonBody<ConversationMessage>(client, { method: 'GET', path: `${BASE}/threads/${segment(threadId)}/messages/${segment(messageId)}` })),

    /**
     * A customer-visible reply (HubSpot answers 201). Never retried after a timeout or 5xx: the customer could get
     * it twice. Copy channelId/channelAccountId from the latest incoming message; email also needs recipients + subject.
     */
    sendThreadMessage: (portalId: PortalId, threadId: string, input: SendMessageInput) =>
      call(portalId, 'sendThreadMessage', { idempotent: false }, (client) =>
        requestJsonBody<ConversationMessage>(client, {
          method: 'POST',
          path: `${BASE}/threads/${segment(threadId)}/messages`,
          body: {
            type: 'MESSAGE',
            text: input.text,
            attachments: [],
            ...(input.richText !== undefined ? { richText: input.richText } : {}),
            senderActorId: input.senderActorId,
            channelId: input.channelId,
            channelAccountId: input.channelAccountId,
            ...(input.recipients ? { recipients: input.recipients } : {}),
            ...(input.subject !== undefined ? { subject: input.subject } : {}),
          },
        })),

    /** Internal note on the thread (agents only): no channel fields and no sender; HubSpot shows it as the app's (docs/hubspot-contract.md §5.5). */
    sendThreadComment: (portalId: PortalId, threadId: string, input: SendCommentInput) =>
      call(portalId, 'sendThreadComment', { idempotent: false }, (client) =>
        requestJsonBody<ConversationMessage>(client, {
          method: 'POST',
          path: `${BASE}/threads/${segment(threadId)}/messages`,
          body: {
            type: 'COMMENT',
            text: input.text,
            attachments: [],
            ...(input.richText !== undefined ? { richText: input.richText } : {}),
          },
        })),

    getActor: (portalId: PortalId, actorId: string) =>
      call(portalId, 'getActor', { idempotent: true }, (client) =>
        requestJsonBody<ConversationActor>(client, { method: 'GET', path: `${BASE}/actors/${segment(actorId)}` })),

    /** Thread status only (docs/hubspot-contract.md §5.5: the one supported update). */
    setThreadStatus: (portalId: PortalId, threadId: string, status: 'OPEN' | 'CLOSED') =>
      call(portalId, 'setThreadStatus', { idempotent: true }, async (client) => {
        await requestJson(client, { method: 'PATCH', path: `${BASE}/threads/${segment(threadId)}`, body: { status } });
      }),
  };
}
