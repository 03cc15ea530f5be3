import type { ChatMessage, ChatRole, Timestamp } from '@opencx/shared';

export interface ChatHistoryStore {
  /**
   * Records a message once: a second message with the same HubSpot message id in the session is a no-op
   * (`duplicate`), so a redelivered webhook cannot double a message.
   */
  append(message: ChatMessage): Promise<'inserted' | 'duplicate'>;
  /** The last `limit` messages, oldest first (the order an AI prompt wants). */
  listRecent(sessionId: string, limit: number): Promise<ChatMessage[]>;
  findLatestByRole(sessionId: string, role: ChatRole): Promise<ChatMessage | null>;
  /** The message recorded for a HubSpot message id in the session, if any. */
  findByHubSpotMessageId(sessionId: string, hubspotMessageId: string): Promise<ChatMessage | null>;
  /**
   * Privacy deletion: blanks the text of every message of the session and stamps `erasedAt`; the rows stay so the
   * conversation's shape (who spoke when) survives. Returns how many messages were erased (already erased: 0).
   */
  eraseBySession(sessionId: string, now: Timestamp): Promise<number>;
}
