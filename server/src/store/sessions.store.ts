import type { ChatSession, SessionStatus, Timestamp } from '@opencx/shared';

export interface SessionsStore {
  /** Throws AppError `conflict` when another session already holds the same (portal, thread). */
  create(session: ChatSession): Promise<void>;
  get(id: string): Promise<ChatSession | null>;
  findByThread(portalId: number, threadId: string): Promise<ChatSession | null>;
  touch(id: string, now: Timestamp): Promise<void>;
  /** The contact's sessions in the portal, newest first; `status` narrows them (e.g. only `open` ones). */
  listByContact(portalId: number, contactId: string, status?: SessionStatus): Promise<ChatSession[]>;
  /** The organization's sessions, most recently active first, `limit` of them after skipping `offset` (the activity view). */
  listByOrganization(organizationId: string, limit: number, offset: number): Promise<ChatSession[]>;
  /** False when there is no such session. */
  setStatus(id: string, status: SessionStatus, now: Timestamp): Promise<boolean>;
}
