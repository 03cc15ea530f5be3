// Conversations inbox & messages v3 via client.apiRequest: the SDK does not generate these (§5.5, §7.6).
// UNVERIFIED: response field sets and the 201 status of a send (hubspot-runtime.md §5.5)
import { requestJson, requestJsonBody, segment } from './api-request';
import type {
  ConversationActor, ConversationMessage, ConversationThread, MessagePage, PortalId, SendCommentInput, SendMessageInput,
} from './gateway-types';
import type { PortalCall } from './portal-call';

const BASE = '/conversations/v3/conversations';

export function createConversationsOperations(call: PortalCall) {
  return {
    getThread: (portalId: PortalId, threadId: string) =>
      call(portalId, 'getThread', { idempotent: true }, (client) =>
        requestJsonBody<ConversationThread>(client, { method: 'GET', path: `${BASE}/threads/${segment(threadId)}` })),

    /** One page; pass `nextAfter` back as `after` for the next one. */
    listMessages: (portalId: PortalId, threadId: string, page: { limit?: number; after?: string } = {}) =>
      call(portalId, 'listMessages', { idempotent: true }, async (client): Promise<MessagePage> => {
        const body = await requestJsonBody<{ results?: ConversationMessage[]; paging?: { next?: { after?: string } } }>(client, {
          method: 'GET',
          path: `${BASE}/threads/${segment(threadId)}/messages`,
          qs: { limit: page.limit, after: page.after },
        });
        const nextAfter = body.paging?.next?.after;
        return { results: body.results ?? [], ...(nextAfter ? { nextAfter } : {}) };
      }),

    getMessage: (portalId: PortalId, threadId: string, messageId: string) =>
      call(portalId, 'getMessage', { idempotent: true }, (client) =>
        requestJsonBody<ConversationMessage>(client, { method: 'GET', path: `${BASE}/threads/${segment(threadId)}/messages/${segment(messageId)}` })),

    /**
     * A customer-visible reply. Never retried after a timeout or 5xx: the customer could get it twice.
     * Copy channelId/channelAccountId from the latest incoming message; email also needs recipients + subject.
     */
    sendThreadMessage: (portalId: PortalId, threadId: string, input: SendMessageInput) =>
      call(portalId, 'sendThreadMessage', { idempotent: false }, (client) =>
        requestJsonBody<ConversationMessage>(client, {
          method: 'POST',
          path: `${BASE}/threads/${segment(threadId)}/messages`,
          body: {
            type: 'MESSAGE',
            text: input.text,
            ...(input.richText !== undefined ? { richText: input.richText } : {}),
            senderActorId: input.senderActorId,
            channelId: input.channelId,
            channelAccountId: input.channelAccountId,
            ...(input.recipients ? { recipients: input.recipients } : {}),
            ...(input.subject !== undefined ? { subject: input.subject } : {}),
          },
        })),

    /** Internal note on the thread (agents only); no channel fields (§5.5). */
    sendThreadComment: (portalId: PortalId, threadId: string, input: SendCommentInput) =>
      call(portalId, 'sendThreadComment', { idempotent: false }, (client) =>
        requestJsonBody<ConversationMessage>(client, {
          method: 'POST',
          path: `${BASE}/threads/${segment(threadId)}/messages`,
          body: {
            type: 'COMMENT',
            text: input.text,
            ...(input.richText !== undefined ? { richText: input.richText } : {}),
            ...(input.senderActorId !== undefined ? { senderActorId: input.senderActorId } : {}),
          },
        })),

    getActor: (portalId: PortalId, actorId: string) =>
      call(portalId, 'getActor', { idempotent: true }, (client) =>
        requestJsonBody<ConversationActor>(client, { method: 'GET', path: `${BASE}/actors/${segment(actorId)}` })),

    /** Thread status only (§5.5: the one supported update). */
    setThreadStatus: (portalId: PortalId, threadId: string, status: 'OPEN' | 'CLOSED') =>
      call(portalId, 'setThreadStatus', { idempotent: true }, async (client) => {
        await requestJson(client, { method: 'PATCH', path: `${BASE}/threads/${segment(threadId)}`, body: { status } });
      }),
  };
}
