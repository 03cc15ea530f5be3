import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../testing/postgres';
import { applyPgMigrations } from './migrate.pg';
import { MIGRATIONS } from './migrations';
import { POSTGRES_MIGRATIONS } from './migrations/postgres';

const pools: pg.Pool[] = [];
afterEach(async () => {
  await Promise.all(pools.splice(0).map((p) => p.end()));
});
const poolFor = (url: string) => {
  const pool = new pg.Pool({ connectionString: url, max: 3 });
  pools.push(pool);
  return pool;
};

describe('PostgreSQL migrations', () => {
  it('have the versions and names of the SQLite ones, so both engines speak of one schema version', () => {
    const outline = (list: typeof MIGRATIONS) => list.map((m) => `${m.version} ${m.name}`);
    expect(outline(POSTGRES_MIGRATIONS)).toEqual(outline(MIGRATIONS));
  });

  it('migrate once when several instances start together, each waiting on the advisory lock', async () => {
    const url = await createTestDatabase();
    const reports = await Promise.all(Array.from({ length: 4 }, () => applyPgMigrations(poolFor(url), POSTGRES_MIGRATIONS)));
    const applied = reports.flatMap((r) => r.applied);
    expect(applied.sort((a, b) => a - b)).toEqual(POSTGRES_MIGRATIONS.map((m) => m.version));
    expect(reports.filter((r) => r.applied.length > 0)).toHaveLength(1);
    const { rows } = await poolFor(url).query('SELECT version FROM schema_migrations ORDER BY version');
    expect(rows.map((r) => Number(r.version))).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
  });

  it('refuse a landed migration whose text changed, and report versions only a newer release knows', async () => {
    const url = await createTestDatabase();
    await applyPgMigrations(poolFor(url), POSTGRES_MIGRATIONS);
    const edited = POSTGRES_MIGRATIONS.map((m) => (m.version === 2 ? { ...m, sql: `${m.sql}\nSELECT 1;` } : m));
    await expect(applyPgMigrations(poolFor(url), edited)).rejects.toThrow(/migration 2 \(session_status\) was edited/);
    expect((await applyPgMigrations(poolFor(url), POSTGRES_MIGRATIONS.slice(0, 5))).unknown).toEqual([6, 7, 8]);
  });

  it('let the database refuse a second event of one lane, or a second effect of one session, in processing', async () => {
    const url = await createTestDatabase();
    const pool = poolFor(url);
    await applyPgMigrations(pool, POSTGRES_MIGRATIONS);
    const insert = (key: string) =>
      pool.query(
        `INSERT INTO webhook_inbox (dedup_key, portal_id, subscription_type, ordering_key, occurred_at, payload, status, next_attempt_at, received_at)
         VALUES ($1, 1, 'x', 'thread:1:1', 0, '{}', 'processing', 0, 0)`,
        [key],
      );
    await insert('a');
    await expect(insert('b')).rejects.toMatchObject({ code: '23505' });
    await pool.query(`INSERT INTO organizations (id, name, created_at) VALUES ('o', 'O', 0)`);
    await pool.query(`INSERT INTO chat_sessions (id, organization_id, portal_id, channel, created_at, updated_at) VALUES ('s', 'o', 1, 'chat', 0, 0)`);
    const effect = () =>
      pool.query(`INSERT INTO effects_outbox (session_id, portal_id, effect, status, next_attempt_at, created_at, updated_at)
                  VALUES ('s', 1, '{}', 'processing', 0, 0, 0)`);
    await effect();
    await expect(effect()).rejects.toMatchObject({ code: '23505' });
  });
});
