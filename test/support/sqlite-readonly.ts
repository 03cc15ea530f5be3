// Reads a server's SQLite file from the outside, read-only, as an operator (or another process) would: for
// assertions about what is durably stored, whatever the server process is doing (or after it was killed).
import Database from 'better-sqlite3';

export type ReadOnlyDb = Database.Database;

export function withReadOnlyDb<T>(path: string, read: (db: ReadOnlyDb) => T): T {
  const db = new Database(path, { readonly: true, fileMustExist: true });
  try {
    db.pragma('busy_timeout = 5000');
    return read(db);
  } finally {
    db.close();
  }
}

/** `PRAGMA integrity_check` rows joined: 'ok' for a sound file. */
export function integrityCheck(path: string): string {
  return withReadOnlyDb(path, (db) => (db.pragma('integrity_check') as { integrity_check: string }[]).map((r) => r.integrity_check).join('; '));
}

/** Work the server still has to do: webhook events and effects not yet finished. */
export function unfinishedWork(db: ReadOnlyDb): { inbox: number; effects: number } {
  const inbox = db.prepare("SELECT count(*) AS n FROM webhook_inbox WHERE status IN ('pending', 'processing')").get() as { n: number };
  const effects = db.prepare("SELECT count(*) AS n FROM effects_outbox WHERE status IN ('pending', 'processing')").get() as { n: number };
  return { inbox: inbox.n, effects: effects.n };
}
