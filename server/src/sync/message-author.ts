import type { ConversationMessage } from '../hubspot';
import { userIdOfActor } from './actors';

export type MessageAuthor =
  | { kind: 'customer' }
  | { kind: 'agent'; userId: string; name: string | null }
  /** Posted through our app (the AI's replies): already recorded by the reply, never an agent's takeover. */
  | { kind: 'ours' }
  | { kind: 'other'; why: string };

/**
 * Carried, invisible, in the rich text of every AI reply (an HTML comment, as OpenCX marks its replies): it tells
 * our own messages apart where HubSpot's client metadata does not (a Private App posts as its own app, not ours).
 */
export const AI_REPLY_MARKER = '<!-- OpenCX-AI-Response -->';

/**
 * Who wrote a thread message. Our replies are sent with an agent as sender (HubSpot requires one), so the
 * sender alone cannot tell them from an agent's: the client that posted it can.
 * UNVERIFIED: messages posted through the API carry `client.clientType: "INTEGRATION"` and the app's
 * `integrationAppId` (docs/hubspot-contract.md §5.5 lists the field; the sandbox models it so).
 */
export function classifyMessage(message: ConversationMessage, appId: number | null): MessageAuthor {
  // Only an outgoing message can be ours: a customer's HTML email could carry the marker's text.
  if (message.direction !== 'INCOMING' && message.richText?.includes(AI_REPLY_MARKER)) return { kind: 'ours' };
  const client = message.client;
  if (client?.clientType === 'INTEGRATION') {
    const fromUs = client.integrationAppId === undefined || appId === null || client.integrationAppId === appId;
    return fromUs ? { kind: 'ours' } : { kind: 'other', why: `posted by another integration (${client.integrationAppId})` };
  }
  const sender = message.senders?.[0];
  const senderId = sender?.actorId ?? message.createdBy ?? '';
  if (message.direction === 'INCOMING' || senderId.startsWith('V-') || senderId.startsWith('E-')) return { kind: 'customer' };
  const userId = userIdOfActor(senderId);
  if (userId && message.direction !== 'INCOMING') return { kind: 'agent', userId, name: sender?.name ?? null };
  return { kind: 'other', why: `sender ${senderId || 'unknown'}` };
}
