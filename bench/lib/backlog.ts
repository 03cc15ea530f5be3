// What the server left unfinished when its run ended: webhook events and effects by status, read from its
// database file after it stopped (the runner never touches a live server's database).
import Database from 'better-sqlite3';

export interface Backlog {
  /** webhook_inbox rows by status (pending, processing, done, ignored, dead). */
  inbox: Record<string, number>;
  /** effects_outbox rows by status. */
  outbox: Record<string, number>;
}

export function readBacklog(databasePath: string): Backlog {
  const db = new Database(databasePath, { readonly: true, fileMustExist: true });
  try {
    const count = (table: string): Record<string, number> => {
      try {
        const rows = db.prepare(`SELECT status, count(*) AS n FROM ${table} GROUP BY status`).all() as Array<{ status: string; n: number }>;
        return Object.fromEntries(rows.map((r) => [r.status, r.n]));
      } catch {
        return {};
      }
    };
    return { inbox: count('webhook_inbox'), outbox: count('effects_outbox') };
  } finally {
    db.close();
  }
}
