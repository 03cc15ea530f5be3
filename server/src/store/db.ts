import { closeSync, mkdirSync, openSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import type { Logger } from '../logger';
import { applyMigrations } from './migrate';
import { MIGRATIONS } from './migrations';

export type SqliteDatabase = Database.Database;

/**
 * Opens (creating if needed) the SQLite database and brings its schema up to date.
 * - WAL: readers never block the writer, and a crash cannot corrupt committed data;
 * - synchronous=NORMAL: with WAL, still durable against application crashes, far fewer fsyncs;
 * - foreign_keys=ON: SQLite leaves them off per connection unless asked;
 * - busy_timeout: a second process (a CLI, a migration) waits for the lock instead of failing at once;
 * - secure_delete=ON: freed space is overwritten with zeros, so erased personal data is gone from the file.
 */
export function openDatabase(path: string, options: { logger?: Pick<Logger, 'info' | 'warn'> } = {}): SqliteDatabase {
  if (path !== ':memory:') prepareFile(path);
  const db = new Database(path);
  try {
    // First, so that switching to WAL and migrating wait for another process's lock instead of failing at once.
    db.pragma('busy_timeout = 5000');
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = ON');
    // Deleted and overwritten content is zeroed, not left in free pages (a privacy deletion must really delete).
    db.pragma('secure_delete = ON');
    const report = applyMigrations(db, MIGRATIONS);
    if (report.applied.length > 0) options.logger?.info({ versions: report.applied }, 'database migrations applied');
    if (report.unknown.length > 0) {
      // Migrations only add, so older code usually still runs; say so instead of refusing a rollback.
      options.logger?.warn({ versions: report.unknown }, 'the database has migrations this version does not know');
    }
    return db;
  } catch (err) {
    db.close();
    throw err;
  }
}

/**
 * The database holds chat history and encrypted tokens: create it readable by its owner only. SQLite gives the
 * -wal and -shm files the same permissions as the database file.
 */
function prepareFile(path: string): void {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  closeSync(openSync(path, 'a', 0o600));
}
