import type { SqliteDatabase } from './db';
import { PROBLEM_REPEAT_WINDOW_MS, type IntegrationProblem, type IntegrationProblemsStore } from './integration-problems.store';
import { clipNote } from './sqlite-values';

export interface ProblemRow {
  id: number;
  organization_id: string | null;
  portal_id: number | null;
  kind: IntegrationProblem['kind'];
  message: string;
  thread_id: string | null;
  at: number;
}

/** Shared by both engines (PostgreSQL's BIGSERIAL id arrives as a number through the INT8 parser too). */
export const toProblem = (r: ProblemRow): IntegrationProblem => ({
  id: Number(r.id), organizationId: r.organization_id, portalId: r.portal_id, kind: r.kind, message: r.message, threadId: r.thread_id, at: r.at,
});

export function createIntegrationProblemsSqlite(db: SqliteDatabase): IntegrationProblemsStore {
  const insert = db.prepare('INSERT INTO integration_problems (organization_id, portal_id, kind, message, thread_id, at) VALUES (?, ?, ?, ?, ?, ?)');
  const repeated = db.prepare<[string | null, number | null, string, string, string | null, number], { id: number }>(
    `SELECT id FROM integration_problems WHERE organization_id IS ? AND portal_id IS ? AND kind = ? AND message = ? AND thread_id IS ? AND at > ? LIMIT 1`,
  );
  const recent = db.prepare<[string, number | null, number], ProblemRow>(
    'SELECT * FROM integration_problems WHERE organization_id = ? OR (organization_id IS NULL AND portal_id = ?) ORDER BY id DESC LIMIT ?',
  );
  const prune = db.prepare(
    `DELETE FROM integration_problems WHERE id IN (
       SELECT id FROM (SELECT id, ROW_NUMBER() OVER (PARTITION BY organization_id, portal_id ORDER BY id DESC) AS n FROM integration_problems)
       WHERE n > ?)`,
  );
  return {
    async record(p) {
      const message = clipNote(p.message);
      if (repeated.get(p.organizationId, p.portalId, p.kind, message, p.threadId, p.at - PROBLEM_REPEAT_WINDOW_MS)) return;
      insert.run(p.organizationId, p.portalId, p.kind, message, p.threadId, p.at);
    },
    async listRecent(organizationId, portalId, limit) {
      return recent.all(organizationId, portalId, limit).map(toProblem);
    },
    async prune(keep) {
      return prune.run(keep).changes;
    },
  };
}
