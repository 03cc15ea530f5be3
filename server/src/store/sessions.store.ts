import type { ChatSession, Timestamp } from '@opencx/shared';

export interface SessionsStore {
  /** Throws AppError `conflict` when another session already holds the same (portal, thread). */
  create(session: ChatSession): Promise<void>;
  get(id: string): Promise<ChatSession | null>;
  findByThread(portalId: number, threadId: string): Promise<ChatSession | null>;
  touch(id: string, now: Timestamp): Promise<void>;
}
