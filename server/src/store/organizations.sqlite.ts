import type { Organization } from '@opencx/shared';
import type { SqliteDatabase } from './db';
import type { OrganizationsStore } from './organizations.store';
import { fromFlag, toFlag } from './sqlite-values';

export interface OrganizationRow {
  id: string;
  name: string;
  oauth_only: number;
  unassign_policy: Organization['unassignPolicy'];
  handoff_message: string | null;
  created_at: number;
}

export function createOrganizationsSqlite(db: SqliteDatabase): OrganizationsStore {
  const insert = db.prepare(
    `INSERT INTO organizations (id, name, oauth_only, unassign_policy, created_at)
     VALUES (@id, @name, @oauthOnly, @unassignPolicy, @createdAt)`,
  );
  const select = db.prepare<[string], OrganizationRow>('SELECT * FROM organizations WHERE id = ?');
  const updateHandoff = db.prepare('UPDATE organizations SET handoff_message = ? WHERE id = ?');
  const update = db.prepare(
    `UPDATE organizations SET
       name = coalesce(@name, name),
       oauth_only = coalesce(@oauthOnly, oauth_only),
       unassign_policy = coalesce(@unassignPolicy, unassign_policy)
     WHERE id = @id`,
  );

  return {
    async create(org) {
      insert.run({ ...org, oauthOnly: toFlag(org.oauthOnly) });
    },
    async get(id) {
      const row = select.get(id);
      return row ? toOrganization(row) : null;
    },
    async updateSettings(id, settings) {
      const result = update.run({
        id,
        name: settings.name ?? null,
        oauthOnly: settings.oauthOnly === undefined ? null : toFlag(settings.oauthOnly),
        unassignPolicy: settings.unassignPolicy ?? null,
      });
      return result.changes > 0;
    },
    async setHandoffMessage(id, message) {
      return updateHandoff.run(message, id).changes > 0;
    },
  };
}

export function toOrganization(row: OrganizationRow): Organization {
  return {
    id: row.id,
    name: row.name,
    oauthOnly: fromFlag(row.oauth_only),
    unassignPolicy: row.unassign_policy,
    ...(row.handoff_message !== null ? { handoffMessage: row.handoff_message } : {}),
    createdAt: row.created_at,
  };
}
