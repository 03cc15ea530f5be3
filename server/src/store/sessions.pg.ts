import type { ChatSession } from '@opencx/shared';
import { AppError } from '../errors';
import { isPgUniqueViolation, type Sql } from './pg-sql';
import type { SessionsStore } from './sessions.store';
import { toSession, type SessionRow } from './sessions.sqlite';

export function createSessionsPg(sql: Sql): SessionsStore {
  return {
    async create(s) {
      try {
        await sql.run(
          `INSERT INTO chat_sessions (id, organization_id, portal_id, thread_id, contact_id, channel, status, created_at, updated_at)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
          [s.id, s.organizationId, s.portalId, s.threadId, s.contactId, s.channel, s.status, s.createdAt, s.updatedAt],
        );
      } catch (err) {
        if (isPgUniqueViolation(err)) throw new AppError('conflict', 'This conversation already has a session', { cause: err });
        throw err;
      }
    },
    async get(id) {
      const row = await sql.one<SessionRow>('SELECT * FROM chat_sessions WHERE id = $1', [id]);
      return row ? toSession(row) : null;
    },
    async findByThread(portalId, threadId) {
      const row = await sql.one<SessionRow>('SELECT * FROM chat_sessions WHERE portal_id = $1 AND thread_id = $2', [portalId, threadId]);
      return row ? toSession(row) : null;
    },
    async touch(id, now) {
      await sql.run('UPDATE chat_sessions SET updated_at = greatest(updated_at, $1) WHERE id = $2', [now, id]);
    },
    async listByOrganization(organizationId, limit, offset) {
      const rows = await sql.rows<SessionRow>(
        'SELECT * FROM chat_sessions WHERE organization_id = $1 ORDER BY updated_at DESC, id LIMIT $2 OFFSET $3',
        [organizationId, limit, offset],
      );
      return rows.map(toSession);
    },
    async listByContact(portalId, contactId, status) {
      const rows = status
        ? await sql.rows<SessionRow>(
            'SELECT * FROM chat_sessions WHERE portal_id = $1 AND contact_id = $2 AND status = $3 ORDER BY created_at DESC, id',
            [portalId, contactId, status],
          )
        : await sql.rows<SessionRow>('SELECT * FROM chat_sessions WHERE portal_id = $1 AND contact_id = $2 ORDER BY created_at DESC, id', [
            portalId,
            contactId,
          ]);
      return rows.map(toSession);
    },
    async setStatus(id, status, now) {
      return (await sql.run('UPDATE chat_sessions SET status = $1, updated_at = greatest(updated_at, $2) WHERE id = $3', [status, now, id])) > 0;
    },
  };
}
