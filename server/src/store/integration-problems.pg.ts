import { toProblem, type ProblemRow } from './integration-problems.sqlite';
import { PROBLEM_REPEAT_WINDOW_MS, type IntegrationProblemsStore } from './integration-problems.store';
import type { Sql } from './pg-sql';
import { clipNote } from './sqlite-values';

export function createIntegrationProblemsPg(sql: Sql): IntegrationProblemsStore {
  return {
    async record(p) {
      const message = clipNote(p.message);
      await sql.run(
        `INSERT INTO integration_problems (organization_id, portal_id, kind, message, thread_id, at)
         SELECT $1, $2, $3, $4, $5, $6
         WHERE NOT EXISTS (SELECT 1 FROM integration_problems WHERE organization_id IS NOT DISTINCT FROM $1 AND portal_id IS NOT DISTINCT FROM $2
                           AND kind = $3 AND message = $4 AND thread_id IS NOT DISTINCT FROM $5 AND at > $7)`,
        [p.organizationId, p.portalId, p.kind, message, p.threadId, p.at, p.at - PROBLEM_REPEAT_WINDOW_MS],
      );
    },
    async listRecent(organizationId, portalId, limit) {
      const rows = await sql.rows<ProblemRow>(
        'SELECT * FROM integration_problems WHERE organization_id = $1 OR (organization_id IS NULL AND portal_id = $2) ORDER BY id DESC LIMIT $3',
        [organizationId, portalId, limit],
      );
      return rows.map(toProblem);
    },
    async prune(keep) {
      return sql.run(
        `DELETE FROM integration_problems WHERE id IN (
           SELECT id FROM (SELECT id, ROW_NUMBER() OVER (PARTITION BY organization_id, portal_id ORDER BY id DESC) AS n FROM integration_problems) ranked
           WHERE n > $1)`,
        [keep],
      );
    },
  };
}
