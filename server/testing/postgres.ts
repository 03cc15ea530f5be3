import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { inject } from 'vitest';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Superuser URL of the run's PostgreSQL cluster (test/support/postgres-global-setup.ts). */
    postgresUrl: string;
    /** Its data folder, for tests of what reaches the disk. */
    postgresDataDir: string;
  }
}

/**
 * A database of its own in the run's PostgreSQL cluster (started by test/support/postgres-global-setup.ts), so
 * test files running in parallel never see each other's rows. Named `t_<random>`; the cluster goes at the end of
 * the run with all of them.
 */
export async function createTestDatabase(): Promise<string> {
  const admin = inject('postgresUrl');
  if (!admin) throw new Error('no PostgreSQL cluster: run the tests through vitest.config.ts (its global setup starts one)');
  const name = `t_${randomUUID().replaceAll('-', '')}`;
  const client = new pg.Client({ connectionString: admin });
  await client.connect();
  try {
    await client.query(`CREATE DATABASE ${name} TEMPLATE template0`);
  } finally {
    await client.end();
  }
  const url = new URL(admin);
  url.pathname = `/${name}`;
  return url.toString();
}

/** Empties every table but the migration record, so that the next test starts from a migrated, empty database. */
export async function emptyDatabase(url: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ tablename: string }>(
      "SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename <> 'schema_migrations'",
    );
    if (rows.length > 0) await client.query(`TRUNCATE ${rows.map((r) => `"${r.tablename}"`).join(', ')} RESTART IDENTITY CASCADE`);
  } finally {
    await client.end();
  }
}
