import type { ConversationMessage, HubSpotApiGateway } from '../hubspot';

const MAX_ENTRIES = 2_000;

// Per gateway (one per server), like the name cache: tests with their own gateway never share it.
const caches = new WeakMap<HubSpotApiGateway, Map<string, ConversationMessage>>();

const cacheOf = (gateway: HubSpotApiGateway) => {
  let cache = caches.get(gateway);
  if (!cache) caches.set(gateway, (cache = new Map()));
  return cache;
};

/**
 * The customer messages the intake just fetched, kept briefly in memory so that the AI's reply (moments later)
 * takes its channel, recipient and subject from them without asking HubSpot again: one call fewer per reply
 * counts when a portal is near its rate limit. A miss (another process, a restart) just fetches the message.
 */
export function rememberIncoming(gateway: HubSpotApiGateway, message: ConversationMessage): void {
  const cache = cacheOf(gateway);
  cache.delete(message.id);
  cache.set(message.id, message);
  if (cache.size > MAX_ENTRIES) cache.delete(cache.keys().next().value!);
}

export function recallIncoming(gateway: HubSpotApiGateway, messageId: string): ConversationMessage | undefined {
  return caches.get(gateway)?.get(messageId);
}
