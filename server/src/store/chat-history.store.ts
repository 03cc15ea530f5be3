import type { ChatMessage, ChatRole } from '@opencx/shared';

export interface ChatHistoryStore {
  /**
   * Records a message once: a second message with the same HubSpot message id in the session is a no-op
   * (`duplicate`), so a redelivered webhook cannot double a message.
   */
  append(message: ChatMessage): Promise<'inserted' | 'duplicate'>;
  /** The last `limit` messages, oldest first (the order an AI prompt wants). */
  listRecent(sessionId: string, limit: number): Promise<ChatMessage[]>;
  findLatestByRole(sessionId: string, role: ChatRole): Promise<ChatMessage | null>;
}
