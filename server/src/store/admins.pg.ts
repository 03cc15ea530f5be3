import { AppError } from '../errors';
import { toAdmin, type AdminRow } from './admins.sqlite';
import type { AdminsStore } from './admins.store';
import { isPgUniqueViolation, type Sql } from './pg-sql';

export function createAdminsPg(sql: Sql): AdminsStore {
  const adminById = async (id: string) => sql.one<AdminRow>('SELECT * FROM admins WHERE id = $1', [id]);
  const link = (tokenHash: string) =>
    sql.one<{ admin_id: string; used_at: number | null }>('SELECT admin_id, used_at FROM admin_sign_in_links WHERE token_hash = $1', [tokenHash]);

  return {
    async createAdmin(a) {
      try {
        await sql.run('INSERT INTO admins (id, organization_id, email, name, created_at) VALUES ($1, $2, $3, $4, $5)', [
          a.id,
          a.organizationId,
          a.email,
          a.name,
          a.createdAt,
        ]);
      } catch (err) {
        if (isPgUniqueViolation(err)) throw new AppError('conflict', `An admin with email ${a.email} already exists in this organization`, { cause: err });
        throw err;
      }
    },
    async getAdmin(id) {
      const row = await adminById(id);
      return row ? toAdmin(row) : null;
    },
    async findAdminByEmail(organizationId, email) {
      const row = await sql.one<AdminRow>('SELECT * FROM admins WHERE organization_id = $1 AND email = $2', [organizationId, email]);
      return row ? toAdmin(row) : null;
    },
    async listAdminsByEmail(email) {
      return (await sql.rows<AdminRow>('SELECT * FROM admins WHERE email = $1 ORDER BY created_at, id', [email])).map(toAdmin);
    },
    async listAdmins(organizationId) {
      return (await sql.rows<AdminRow>('SELECT * FROM admins WHERE organization_id = $1 ORDER BY created_at, id', [organizationId])).map(toAdmin);
    },
    async saveSignInLink(l, now) {
      await sql.run('INSERT INTO admin_sign_in_links (token_hash, admin_id, expires_at, used_at, created_at) VALUES ($1, $2, $3, NULL, $4)', [
        l.tokenHash,
        l.adminId,
        l.expiresAt,
        now,
      ]);
    },
    async consumeSignInLink(tokenHash, now) {
      // The WHERE clause is the single-use guarantee: only one UPDATE can see used_at IS NULL.
      const used = await sql.one<{ admin_id: string }>(
        'UPDATE admin_sign_in_links SET used_at = $1 WHERE token_hash = $2 AND used_at IS NULL AND expires_at > $1 RETURNING admin_id',
        [now, tokenHash],
      );
      if (used) {
        const admin = await adminById(used.admin_id);
        return admin ? { admin: toAdmin(admin) } : { refused: 'unknown' };
      }
      const row = await link(tokenHash);
      if (!row) return { refused: 'unknown' };
      return { refused: row.used_at !== null ? 'used' : 'expired' };
    },
    async createSession(s, now) {
      await sql.run('INSERT INTO admin_sessions (token_hash, admin_id, expires_at, created_at) VALUES ($1, $2, $3, $4)', [
        s.tokenHash,
        s.adminId,
        s.expiresAt,
        now,
      ]);
    },
    async findSession(tokenHash, now) {
      const row = await sql.one<AdminRow & { session_expires_at: number }>(
        `SELECT a.*, s.expires_at AS session_expires_at FROM admin_sessions s JOIN admins a ON a.id = s.admin_id
         WHERE s.token_hash = $1 AND s.expires_at > $2`,
        [tokenHash, now],
      );
      return row ? { admin: toAdmin(row), expiresAt: row.session_expires_at } : null;
    },
    async deleteSession(tokenHash) {
      await sql.run('DELETE FROM admin_sessions WHERE token_hash = $1', [tokenHash]);
    },
    async deleteExpired(now) {
      const sessions = await sql.run('DELETE FROM admin_sessions WHERE expires_at <= $1', [now]);
      return sessions + (await sql.run('DELETE FROM admin_sign_in_links WHERE expires_at <= $1 OR used_at IS NOT NULL', [now]));
    },
  };
}
