import type { ChatSession } from '@opencx/shared';
import { AppError } from '../errors';
import type { SqliteDatabase } from './db';
import type { SessionsStore } from './sessions.store';
import { isUniqueViolation } from './sqlite-values';

export interface SessionRow {
  id: string;
  organization_id: string;
  portal_id: number;
  thread_id: string | null;
  contact_id: string | null;
  channel: ChatSession['channel'];
  status: ChatSession['status'];
  created_at: number;
  updated_at: number;
}

export function createSessionsSqlite(db: SqliteDatabase): SessionsStore {
  const insert = db.prepare(
    `INSERT INTO chat_sessions (id, organization_id, portal_id, thread_id, contact_id, channel, status, created_at, updated_at)
     VALUES (@id, @organizationId, @portalId, @threadId, @contactId, @channel, @status, @createdAt, @updatedAt)`,
  );
  const byId = db.prepare<[string], SessionRow>('SELECT * FROM chat_sessions WHERE id = ?');
  const byThread = db.prepare<[number, string], SessionRow>('SELECT * FROM chat_sessions WHERE portal_id = ? AND thread_id = ?');
  const touch = db.prepare('UPDATE chat_sessions SET updated_at = max(updated_at, ?) WHERE id = ?');
  const byContact = db.prepare<[number, string], SessionRow>(
    'SELECT * FROM chat_sessions WHERE portal_id = ? AND contact_id = ? ORDER BY created_at DESC, id',
  );
  const byContactAndStatus = db.prepare<[number, string, string], SessionRow>(
    'SELECT * FROM chat_sessions WHERE portal_id = ? AND contact_id = ? AND status = ? ORDER BY created_at DESC, id',
  );
  const byOrganization = db.prepare<[string, number, number], SessionRow>(
    'SELECT * FROM chat_sessions WHERE organization_id = ? ORDER BY updated_at DESC, id LIMIT ? OFFSET ?',
  );
  const setStatus = db.prepare('UPDATE chat_sessions SET status = ?, updated_at = max(updated_at, ?) WHERE id = ?');

  return {
    async create(session) {
      try {
        insert.run(session);
      } catch (err) {
        if (isUniqueViolation(err)) throw new AppError('conflict', 'This conversation already has a session', { cause: err });
        throw err;
      }
    },
    async get(id) {
      const row = byId.get(id);
      return row ? toSession(row) : null;
    },
    async findByThread(portalId, threadId) {
      const row = byThread.get(portalId, threadId);
      return row ? toSession(row) : null;
    },
    async touch(id, now) {
      touch.run(now, id);
    },
    async listByContact(portalId, contactId, status) {
      const rows = status ? byContactAndStatus.all(portalId, contactId, status) : byContact.all(portalId, contactId);
      return rows.map(toSession);
    },
    async listByOrganization(organizationId, limit, offset) {
      return byOrganization.all(organizationId, limit, offset).map(toSession);
    },
    async setStatus(id, status, now) {
      return setStatus.run(status, now, id).changes > 0;
    },
  };
}

export function toSession(row: SessionRow): ChatSession {
  return {
    id: row.id,
    organizationId: row.organization_id,
    portalId: row.portal_id,
    threadId: row.thread_id,
    contactId: row.contact_id,
    channel: row.channel,
    status: row.status,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}
