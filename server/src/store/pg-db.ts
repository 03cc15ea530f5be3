import pg from 'pg';
import type { TokenCipher } from '../crypto/token-cipher';
import type { Logger } from '../logger';
import { assertKeyMarker, KEY_CHECK, newKeyMarker } from './key-check';
import { applyPgMigrations } from './migrate.pg';
import { POSTGRES_MIGRATIONS } from './migrations/postgres';

/**
 * BIGINT columns (epoch milliseconds, ids, counts) come back as numbers: every value we store is far below 2^53,
 * and the stores' callers expect numbers as SQLite gives them. Per connection, not pg's global type table.
 */
const types = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === pg.types.builtins.INT8 ? (value: string) => Number(value) : pg.types.getTypeParser(oid, format)) as pg.CustomTypesConfig['getTypeParser'],
};

export interface PgConnection {
  pool: pg.Pool;
  /** For connections outside the pool (LISTEN). */
  clientConfig: pg.ClientConfig;
}

/** The pool for DATABASE_URL, its schema brought up to date (migrations under an advisory lock) and the key checked. */
export async function openPgDatabase(
  url: string,
  options: { cipher: TokenCipher; logger: Pick<Logger, 'info' | 'warn' | 'error'>; poolSize?: number; now: number },
): Promise<PgConnection> {
  const clientConfig: pg.ClientConfig = { connectionString: url, types, application_name: 'opencx' };
  const pool = new pg.Pool({ ...clientConfig, max: options.poolSize ?? 10 });
  // An idle pooled connection the server drops (restart, failover) must not crash the process; the next query reconnects.
  pool.on('error', (err) => options.logger.warn({ err: err.message }, 'an idle database connection failed'));
  try {
    const report = await applyPgMigrations(pool, POSTGRES_MIGRATIONS);
    if (report.applied.length > 0) options.logger.info({ versions: report.applied }, 'database migrations applied');
    if (report.unknown.length > 0) options.logger.warn({ versions: report.unknown }, 'the database has migrations this version does not know');
    await verifyKeyPg(pool, options.cipher, options.now);
    return { pool, clientConfig };
  } catch (err) {
    await pool.end();
    throw err;
  }
}

async function verifyKeyPg(pool: pg.Pool, cipher: TokenCipher, now: number): Promise<void> {
  // DO NOTHING: of several instances starting together on a new database, the first marker wins and is checked.
  await pool.query('INSERT INTO app_meta (key, value, updated_at) VALUES ($1, $2, $3) ON CONFLICT (key) DO NOTHING', [KEY_CHECK, newKeyMarker(cipher), now]);
  const { rows } = await pool.query<{ value: string }>('SELECT value FROM app_meta WHERE key = $1', [KEY_CHECK]);
  assertKeyMarker(rows[0]!.value, cipher);
}
