import { createHash } from 'node:crypto';
import type { Database } from 'better-sqlite3';

export interface Migration {
  /** 1, 2, 3…: the order of application, unique and never reused. */
  version: number;
  name: string;
  sql: string;
}

export interface MigrationReport {
  applied: number[];
  /** Versions recorded in the database that this code does not know: the database was used by newer code. */
  unknown: number[];
}

/**
 * Applies the migrations the database has not seen, each in its own IMMEDIATE transaction with the row that
 * records it, so a crash leaves either the whole migration or none of it. Safe to run from two processes at
 * once: the second waits for the write lock, then finds the version recorded and skips it.
 */
export function applyMigrations(db: Database, migrations: readonly Migration[]): MigrationReport {
  assertOrdered(migrations);
  db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    version    INTEGER PRIMARY KEY,
    name       TEXT NOT NULL,
    checksum   TEXT NOT NULL,
    applied_at INTEGER NOT NULL
  ) STRICT`);

  const recorded = db.prepare('SELECT checksum FROM schema_migrations WHERE version = ?').pluck();
  const record = db.prepare('INSERT INTO schema_migrations (version, name, checksum, applied_at) VALUES (?, ?, ?, ?)');
  const applied: number[] = [];

  for (const migration of migrations) {
    const checksum = checksumOf(migration.sql);
    const applyOne = db.transaction(() => {
      const existing = recorded.get(migration.version) as string | undefined;
      if (existing !== undefined) {
        if (existing !== checksum) throw editedMigrationError(migration);
        return;
      }
      db.exec(migration.sql);
      record.run(migration.version, migration.name, checksum, Date.now());
      applied.push(migration.version);
    });
    applyOne.immediate();
  }

  const known = new Set(migrations.map((m) => m.version));
  const all = db.prepare('SELECT version FROM schema_migrations ORDER BY version').pluck().all() as number[];
  return { applied, unknown: all.filter((v) => !known.has(v)) };
}

export function assertOrdered(migrations: readonly Migration[]): void {
  migrations.forEach((migration, index) => {
    const previous = migrations[index - 1];
    if (!Number.isInteger(migration.version) || migration.version < 1 || (previous && migration.version <= previous.version)) {
      throw new Error(`migration ${migration.version} (${migration.name}) is out of order or duplicated`);
    }
  });
}

// Whitespace at the ends is not a change; anything else is.
export function checksumOf(sql: string): string {
  return createHash('sha256').update(sql.trim()).digest('hex');
}

export function editedMigrationError(migration: Migration): Error {
  return new Error(
    `migration ${migration.version} (${migration.name}) was edited after it was applied to this database; ` +
      'landed migrations are immutable — restore its text and add a new migration instead (store/migrations/README.md)',
  );
}
