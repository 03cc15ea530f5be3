import type { ChatMessage } from '@opencx/shared';
import type { ChatHistoryStore } from './chat-history.store';
import type { Sql } from './pg-sql';
import { toMessage, type MessageRow } from './chat-history.sqlite';

// seq is PostgreSQL's stand-in for SQLite's rowid: the order of messages written in the same millisecond.
export function createChatHistoryPg(sql: Sql): ChatHistoryStore {
  return {
    async append(m) {
      // Conflicts on the message id only: a clash on the primary key is a bug and must still throw.
      const inserted = await sql.run(
        `INSERT INTO chat_history (id, session_id, role, text, hubspot_message_id, created_at, erased_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (session_id, hubspot_message_id) DO NOTHING`,
        [m.id, m.sessionId, m.role, m.text, m.hubspotMessageId, m.createdAt, m.erasedAt],
      );
      return inserted > 0 ? 'inserted' : 'duplicate';
    },
    async listRecent(sessionId, limit) {
      const rows = await sql.rows<MessageRow>(
        `SELECT * FROM (
           SELECT * FROM chat_history WHERE session_id = $1 ORDER BY created_at DESC, seq DESC LIMIT $2) recent
         ORDER BY created_at, seq`,
        [sessionId, limit],
      );
      return rows.map(toMessage);
    },
    async findLatestByRole(sessionId, role) {
      const row = await sql.one<MessageRow>(
        'SELECT * FROM chat_history WHERE session_id = $1 AND role = $2 ORDER BY created_at DESC, seq DESC LIMIT 1',
        [sessionId, role],
      );
      return row ? toMessage(row) : null;
    },
    async findByHubSpotMessageId(sessionId, hubspotMessageId) {
      const row = await sql.one<MessageRow>('SELECT * FROM chat_history WHERE session_id = $1 AND hubspot_message_id = $2', [
        sessionId,
        hubspotMessageId,
      ]);
      return row ? toMessage(row) : null;
    },
    async eraseBySession(sessionId, now) {
      return sql.run("UPDATE chat_history SET text = '', erased_at = $1 WHERE session_id = $2 AND erased_at IS NULL", [now, sessionId]);
    },
  };
}
