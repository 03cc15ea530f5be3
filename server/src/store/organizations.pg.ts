import type { OrganizationsStore } from './organizations.store';
import type { Sql } from './pg-sql';
import { toOrganization, type OrganizationRow } from './organizations.sqlite';
import { toFlag } from './sqlite-values';

export function createOrganizationsPg(sql: Sql): OrganizationsStore {
  return {
    async create(org) {
      await sql.run(
        'INSERT INTO organizations (id, name, oauth_only, unassign_policy, created_at) VALUES ($1, $2, $3, $4, $5)',
        [org.id, org.name, toFlag(org.oauthOnly), org.unassignPolicy, org.createdAt],
      );
    },
    async get(id) {
      const row = await sql.one<OrganizationRow>('SELECT * FROM organizations WHERE id = $1', [id]);
      return row ? toOrganization(row) : null;
    },
    async updateSettings(id, settings) {
      const changed = await sql.run(
        `UPDATE organizations SET name = coalesce($2, name), oauth_only = coalesce($3, oauth_only),
           unassign_policy = coalesce($4, unassign_policy)
         WHERE id = $1`,
        [id, settings.name ?? null, settings.oauthOnly === undefined ? null : toFlag(settings.oauthOnly), settings.unassignPolicy ?? null],
      );
      return changed > 0;
    },
    async setHandoffMessage(id, message) {
      return (await sql.run('UPDATE organizations SET handoff_message = $1 WHERE id = $2', [message, id])) > 0;
    },
  };
}
