import { isAiAllowedToReply, type ChatMessage, type NormalizedEvent } from '@opencx/shared';
import { applyAiCommand } from '../ai-control/apply-command';
import type { ConversationMessage } from '../hubspot';
import { nameActorLater, userActorNow } from '../sync/actors';
import { done, ignored, type EventHandler } from './event-context';
import { isNotFound } from '../failure';
import { newId } from '../sync/ids';
import { classifyMessage } from '../sync/message-author';
import { ensureThreadSession } from '../sync/thread-sessions';

type NewMessage = Extract<NormalizedEvent, { kind: 'threadNewMessage' }>;

const timeOf = (message: ConversationMessage, fallback: number): number => {
  const at = message.createdAt ? Date.parse(message.createdAt) : Number.NaN;
  return Number.isFinite(at) ? at : fallback;
};

/**
 * A message in a thread. The webhook only names it, so it is fetched. A customer's message is stored and, while
 * the AI is active, answered (an `askAiToReply` effect, decided in the same transaction as the message is
 * stored, so the reply can neither be lost nor asked twice). An agent's message is stored and pauses the AI.
 * Our own replies are recorded by the reply itself (and here, when that record was lost). Internal comments are
 * not part of the conversation.
 */
export const handleThreadNewMessage: EventHandler<NewMessage> = async (ctx) => {
  const { deps, event } = ctx;
  if (event.messageType === 'COMMENT') return ignored('internal comment');
  const session = await ensureThreadSession(ctx, event.threadId);
  if (!session) return ignored('the thread no longer exists');
  if (session.status === 'deleted') return ignored('the session was deleted');
  if (await deps.store.chatHistory.findByHubSpotMessageId(session.id, event.messageId)) return done('already recorded');

  let message: ConversationMessage;
  try {
    message = await deps.hubspot.getMessage(ctx.portalId, event.threadId, event.messageId);
  } catch (err) {
    if (isNotFound(err)) return ignored('the message no longer exists');
    throw err;
  }
  const author = classifyMessage(message, deps.config.hubspot?.appId ?? null);
  const record = (role: ChatMessage['role']): ChatMessage => ({
    id: newId('msg'),
    sessionId: session.id,
    role,
    text: message.text ?? '',
    hubspotMessageId: event.messageId,
    createdAt: timeOf(message, event.occurredAt),
    erasedAt: null,
  });

  switch (author.kind) {
    case 'ours':
      // Our reply records itself once posted. If the process died between HubSpot's 201 and that record (and the
      // request was then superseded by a newer customer message, so no retry looks for it), this event is the
      // only trace left: record it here, so the chat history never misses a reply the customer saw. A race with
      // the reply's own record is harmless: the second append is a duplicate.
      return done('our reply', async (tx) => {
        if ((await tx.chatHistory.append(record('ai'))) === 'duplicate') return;
        await tx.sessions.touch(session.id, ctx.now);
      });
    case 'other':
      return ignored(author.why);
    case 'agent': {
      const agent = userActorNow(deps, ctx.portalId, author.userId, author.name);
      return done(
        `agent ${author.userId} replied`,
        async (tx) => {
          if ((await tx.chatHistory.append(record('agent'))) === 'duplicate') return;
          const decision = await applyAiCommand({ store: tx }, session.id, { type: 'agentReplied', agent: agent.actor }, ctx.now);
          // On the OpenCX API, OpenCX keeps the conversation too: it gets the agent's reply, with the takeover,
          // after the commit, through the outbox.
          if (await tx.opencxSessions.get(session.id)) {
            const forward = {
              type: 'forwardToOpenCx' as const,
              text: message.text ?? '',
              agent: { hubspotUserId: author.userId, name: author.name },
              // The agent holds the conversation now (this reply paused the AI, or it was already paused or
              // handed off): OpenCX's AI must not answer it either.
              takeOver: decision.control.state.status !== 'active',
            };
            await tx.outbox.enqueue([{ sessionId: session.id, portalId: ctx.portalId, effect: forward }], ctx.now);
          }
        },
        () => nameActorLater(deps, [session.id], agent),
      );
    }
    case 'customer':
      deps.incomingMessages.remember(message);
      return done('customer message', async (tx) => {
        if ((await tx.chatHistory.append(record('customer'))) === 'duplicate') return;
        await tx.sessions.touch(session.id, ctx.now);
        // A customer writing into a closed conversation reopens it, as HubSpot's inbox does.
        if (session.status === 'closed') await tx.sessions.setStatus(session.id, 'open', ctx.now);
        const control = await tx.aiControl.load(session.id);
        if (control && !isAiAllowedToReply(control.control)) return;
        await tx.outbox.enqueue(
          [{ sessionId: session.id, portalId: ctx.portalId, effect: { type: 'askAiToReply', instruction: null } }],
          ctx.now,
        );
      });
    default: {
      const exhaustive: never = author;
      return exhaustive;
    }
  }
};
