import type pg from 'pg';
import { assertOrdered, checksumOf, editedMigrationError, type Migration, type MigrationReport } from './migrate';

/** Any 64-bit number unique to this application: the advisory lock every starting instance queues on. */
export const MIGRATION_LOCK = 7_460_331_905;

/**
 * PostgreSQL's applyMigrations (see migrate.ts): each migration not yet recorded runs in its own transaction with
 * the row that records it. Instances starting together queue on one advisory lock, so the first migrates and the
 * others find every version recorded when they get the lock.
 */
export async function applyPgMigrations(pool: pg.Pool, migrations: readonly Migration[]): Promise<MigrationReport> {
  assertOrdered(migrations);
  const client = await pool.connect();
  try {
    await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
    try {
      return await applyHoldingLock(client, migrations);
    } finally {
      await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]);
    }
  } finally {
    client.release();
  }
}

async function applyHoldingLock(client: pg.PoolClient, migrations: readonly Migration[]): Promise<MigrationReport> {
  await client.query(`CREATE TABLE IF NOT EXISTS schema_migrations (
    version    INTEGER PRIMARY KEY,
    name       TEXT NOT NULL,
    checksum   TEXT NOT NULL,
    applied_at BIGINT NOT NULL
  )`);
  const applied: number[] = [];
  for (const migration of migrations) {
    const checksum = checksumOf(migration.sql);
    await client.query('BEGIN');
    try {
      const { rows } = await client.query<{ checksum: string }>('SELECT checksum FROM schema_migrations WHERE version = $1', [migration.version]);
      if (rows[0]) {
        if (rows[0].checksum !== checksum) throw editedMigrationError(migration);
      } else {
        await client.query(migration.sql);
        await client.query('INSERT INTO schema_migrations (version, name, checksum, applied_at) VALUES ($1, $2, $3, $4)', [
          migration.version,
          migration.name,
          checksum,
          Date.now(),
        ]);
        applied.push(migration.version);
      }
      await client.query('COMMIT');
    } catch (err) {
      await client.query('ROLLBACK');
      throw err;
    }
  }
  const known = new Set(migrations.map((m) => m.version));
  const { rows } = await client.query<{ version: number }>('SELECT version FROM schema_migrations ORDER BY version');
  return { applied, unknown: rows.map((r) => r.version).filter((v) => !known.has(v)) };
}
