import type { ChatMessage } from '@opencx/shared';
import type { ChatHistoryStore } from './chat-history.store';
import type { SqliteDatabase } from './db';

export interface MessageRow {
  id: string;
  session_id: string;
  role: ChatMessage['role'];
  text: string;
  hubspot_message_id: string | null;
  created_at: number;
  erased_at: number | null;
}

export function createChatHistorySqlite(db: SqliteDatabase): ChatHistoryStore {
  // Conflicts on the message id only: a clash on the primary key is a bug and must still throw.
  const insert = db.prepare(
    `INSERT INTO chat_history (id, session_id, role, text, hubspot_message_id, created_at, erased_at)
     VALUES (@id, @sessionId, @role, @text, @hubspotMessageId, @createdAt, @erasedAt)
     ON CONFLICT (session_id, hubspot_message_id) DO NOTHING`,
  );
  const recent = db.prepare<[string, number], MessageRow>(
    `SELECT * FROM (
       SELECT *, rowid AS seq FROM chat_history WHERE session_id = ? ORDER BY created_at DESC, rowid DESC LIMIT ?)
     ORDER BY created_at, seq`,
  );
  const latestByRole = db.prepare<[string, string], MessageRow>(
    'SELECT * FROM chat_history WHERE session_id = ? AND role = ? ORDER BY created_at DESC, rowid DESC LIMIT 1',
  );

  const byHubSpotId = db.prepare<[string, string], MessageRow>(
    'SELECT * FROM chat_history WHERE session_id = ? AND hubspot_message_id = ?',
  );
  const erase = db.prepare("UPDATE chat_history SET text = '', erased_at = ? WHERE session_id = ? AND erased_at IS NULL");

  return {
    async append(message) {
      return insert.run(message).changes > 0 ? 'inserted' : 'duplicate';
    },
    async listRecent(sessionId, limit) {
      return recent.all(sessionId, limit).map(toMessage);
    },
    async findLatestByRole(sessionId, role) {
      const row = latestByRole.get(sessionId, role);
      return row ? toMessage(row) : null;
    },
    async findByHubSpotMessageId(sessionId, hubspotMessageId) {
      const row = byHubSpotId.get(sessionId, hubspotMessageId);
      return row ? toMessage(row) : null;
    },
    async eraseBySession(sessionId, now) {
      return erase.run(now, sessionId).changes;
    },
  };
}

export function toMessage(row: MessageRow): ChatMessage {
  return {
    id: row.id,
    sessionId: row.session_id,
    role: row.role,
    text: row.text,
    hubspotMessageId: row.hubspot_message_id,
    createdAt: row.created_at,
    erasedAt: row.erased_at,
  };
}
