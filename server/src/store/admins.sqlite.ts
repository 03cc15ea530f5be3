import { AppError } from '../errors';
import type { Admin, AdminsStore } from './admins.store';
import type { SqliteDatabase } from './db';
import { isUniqueViolation } from './sqlite-values';

export interface AdminRow {
  id: string;
  organization_id: string;
  email: string;
  name: string | null;
  created_at: number;
}

interface LinkRow {
  admin_id: string;
  expires_at: number;
  used_at: number | null;
}

export function createAdminsSqlite(db: SqliteDatabase): AdminsStore {
  const insertAdmin = db.prepare(
    'INSERT INTO admins (id, organization_id, email, name, created_at) VALUES (@id, @organizationId, @email, @name, @createdAt)',
  );
  const adminById = db.prepare<[string], AdminRow>('SELECT * FROM admins WHERE id = ?');
  const adminByEmail = db.prepare<[string, string], AdminRow>('SELECT * FROM admins WHERE organization_id = ? AND email = ?');
  const adminsByEmail = db.prepare<[string], AdminRow>('SELECT * FROM admins WHERE email = ? ORDER BY created_at, id');
  const adminsOfOrg = db.prepare<[string], AdminRow>('SELECT * FROM admins WHERE organization_id = ? ORDER BY created_at, id');
  const insertLink = db.prepare(
    'INSERT INTO admin_sign_in_links (token_hash, admin_id, expires_at, used_at, created_at) VALUES (?, ?, ?, NULL, ?)',
  );
  const linkByHash = db.prepare<[string], LinkRow>('SELECT admin_id, expires_at, used_at FROM admin_sign_in_links WHERE token_hash = ?');
  // The WHERE clause is the single-use guarantee: only one UPDATE can see used_at IS NULL.
  const useLink = db.prepare(
    'UPDATE admin_sign_in_links SET used_at = ? WHERE token_hash = ? AND used_at IS NULL AND expires_at > ?',
  );
  const insertSession = db.prepare('INSERT INTO admin_sessions (token_hash, admin_id, expires_at, created_at) VALUES (?, ?, ?, ?)');
  const sessionByHash = db.prepare<[string, number], AdminRow & { session_expires_at: number }>(
    `SELECT a.*, s.expires_at AS session_expires_at FROM admin_sessions s JOIN admins a ON a.id = s.admin_id
     WHERE s.token_hash = ? AND s.expires_at > ?`,
  );
  const removeSession = db.prepare('DELETE FROM admin_sessions WHERE token_hash = ?');
  const removeExpiredSessions = db.prepare('DELETE FROM admin_sessions WHERE expires_at <= ?');
  const removeSpentLinks = db.prepare('DELETE FROM admin_sign_in_links WHERE expires_at <= ? OR used_at IS NOT NULL');

  return {
    async createAdmin(admin) {
      try {
        insertAdmin.run(admin);
      } catch (err) {
        if (isUniqueViolation(err)) throw new AppError('conflict', `An admin with email ${admin.email} already exists in this organization`, { cause: err });
        throw err;
      }
    },
    async getAdmin(id) {
      const row = adminById.get(id);
      return row ? toAdmin(row) : null;
    },
    async findAdminByEmail(organizationId, email) {
      const row = adminByEmail.get(organizationId, email);
      return row ? toAdmin(row) : null;
    },
    async listAdminsByEmail(email) {
      return adminsByEmail.all(email).map(toAdmin);
    },
    async listAdmins(organizationId) {
      return adminsOfOrg.all(organizationId).map(toAdmin);
    },
    async saveSignInLink(link, now) {
      insertLink.run(link.tokenHash, link.adminId, link.expiresAt, now);
    },
    async consumeSignInLink(tokenHash, now) {
      if (useLink.run(now, tokenHash, now).changes === 1) {
        const row = linkByHash.get(tokenHash)!;
        const admin = adminById.get(row.admin_id);
        return admin ? { admin: toAdmin(admin) } : { refused: 'unknown' };
      }
      const row = linkByHash.get(tokenHash);
      if (!row) return { refused: 'unknown' };
      return { refused: row.used_at !== null ? 'used' : 'expired' };
    },
    async createSession(session, now) {
      insertSession.run(session.tokenHash, session.adminId, session.expiresAt, now);
    },
    async findSession(tokenHash, now) {
      const row = sessionByHash.get(tokenHash, now);
      return row ? { admin: toAdmin(row), expiresAt: row.session_expires_at } : null;
    },
    async deleteSession(tokenHash) {
      removeSession.run(tokenHash);
    },
    async deleteExpired(now) {
      return removeExpiredSessions.run(now).changes + removeSpentLinks.run(now).changes;
    },
  };
}

export function toAdmin(row: AdminRow): Admin {
  return { id: row.id, organizationId: row.organization_id, email: row.email, name: row.name, createdAt: row.created_at };
}
