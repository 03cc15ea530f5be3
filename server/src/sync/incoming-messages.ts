import type { ConversationMessage } from '../hubspot';

const MAX_ENTRIES = 2_000;

/**
 * The customer messages the intake just fetched, kept briefly in memory so that the AI's reply (moments later)
 * takes its channel, recipient and subject from them without asking HubSpot again: one call fewer per reply
 * counts when a portal is near its rate limit. A miss (another process, a restart) just fetches the message.
 * One per server (createServices).
 */
export interface IncomingMessages {
  remember(message: ConversationMessage): void;
  recall(messageId: string): ConversationMessage | undefined;
}

export function createIncomingMessages(): IncomingMessages {
  const cache = new Map<string, ConversationMessage>();
  return {
    remember(message) {
      cache.delete(message.id);
      cache.set(message.id, message);
      if (cache.size > MAX_ENTRIES) cache.delete(cache.keys().next().value!);
    },
    recall: (messageId) => cache.get(messageId),
  };
}
