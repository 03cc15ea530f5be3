import type { ChatMessage, ChatSession, HubSpotConnection } from '@opencx/shared';
import { AppError } from '../errors';
import type { ConversationMessage, SendMessageInput } from '../hubspot';
import { isNotFound } from '../failure';
import { replySubject } from './reply-text';
import type { SyncDeps } from '../sync/sync-deps';

export type ReplyTarget = Omit<SendMessageInput, 'text' | 'richText'>;

const MAX_PAGES = 5;

/**
 * The agent actor our replies are sent as: the AI sender an admin chose (HubSpot requires an agent, `A-<userId>`,
 * as the sender of a MESSAGE). Null until one is chosen: then the AI does not post.
 * UNVERIFIED: what the customer sees as the sender's name of an app-posted reply (docs/hubspot-contract.md §5.5).
 */
export function senderActorOf(connection: HubSpotConnection): string | null {
  return connection.aiUser ? `A-${connection.aiUser.hubspotUserId}` : null;
}

/** The thread's latest incoming message: the first one listed newest first, within a few pages. */
async function latestIncoming(deps: SyncDeps, portalId: number, threadId: string): Promise<ConversationMessage | null> {
  let after: string | undefined;
  for (let page = 0; page < MAX_PAGES; page += 1) {
    const result = await deps.hubspot.listMessages(portalId, threadId, { order: 'newestFirst', limit: 100, ...(after ? { after } : {}) });
    const found = result.results.find((m) => m.direction === 'INCOMING' && m.type === 'MESSAGE');
    if (found) return found;
    if (!result.nextAfter) break;
    after = result.nextAfter;
  }
  return null;
}

/**
 * Where and how to post a reply: channel and channel account copied from the latest incoming message (the
 * documented rule, docs/hubspot-contract.md §5.5), and for email the customer as recipient and a "Re:" subject.
 * Null when the thread has no incoming message to answer on an email channel (no one to address).
 */
export async function findReplyTarget(
  deps: SyncDeps,
  session: ChatSession,
  trigger: ChatMessage | null,
  senderActorId: string,
): Promise<ReplyTarget | null> {
  const threadId = session.threadId!;
  let incoming: ConversationMessage | null = null;
  if (trigger?.hubspotMessageId) incoming = deps.incomingMessages.recall(trigger.hubspotMessageId) ?? null;
  if (!incoming && trigger?.hubspotMessageId) {
    try {
      incoming = await deps.hubspot.getMessage(session.portalId, threadId, trigger.hubspotMessageId);
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
  }
  incoming ??= await latestIncoming(deps, session.portalId, threadId);
  let channelId = incoming?.channelId;
  let channelAccountId = incoming?.channelAccountId;
  if (!channelId || !channelAccountId) {
    const thread = await deps.hubspot.getThread(session.portalId, threadId);
    channelId = thread.originalChannelId;
    channelAccountId = thread.originalChannelAccountId;
  }
  if (!channelId || !channelAccountId) return null;
  const target: ReplyTarget = { senderActorId, channelId: String(channelId), channelAccountId: String(channelAccountId) };
  if (String(channelId) !== '1002') return target;

  // UNVERIFIED: email recipients are addressed with `deliveryIdentifiers` copied from the sender of the incoming
  // message (docs/hubspot-contract.md §5.5: "email also needs recipients and subject").
  const recipients = (incoming?.senders ?? [])
    .filter((s) => s.deliveryIdentifier)
    .map((s) => ({
      ...(s.actorId ? { actorId: s.actorId } : {}),
      ...(s.name ? { name: s.name } : {}),
      recipientField: 'TO',
      deliveryIdentifiers: [s.deliveryIdentifier!],
    }));
  if (recipients.length === 0) return null;
  return { ...target, recipients, subject: replySubject(incoming?.subject) };
}
