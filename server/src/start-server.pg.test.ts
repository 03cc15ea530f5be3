import { randomBytes } from 'node:crypto';
import { createServer, type AddressInfo } from 'node:net';
import pg from 'pg';
import { expect, it } from 'vitest';
import { loadConfig } from './config';
import { createSilentLogger } from './logger';
import { startServer } from './start-server';
import { MIGRATION_LOCK } from './store/migrate.pg';
import { createTestDatabase } from '../testing/postgres';

const freePort = () =>
  new Promise<number>((resolve) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as AddressInfo;
      probe.close(() => resolve(port));
    });
  });

it('answers /readyz with 503 while another instance migrates the database, then 200', async () => {
  const url = await createTestDatabase();
  // Another instance is migrating: it holds the lock every starting instance queues on (migrate.pg.ts).
  const other = new pg.Client({ connectionString: url });
  await other.connect();
  await other.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
  const port = await freePort();
  const config = loadConfig({ PORT: String(port), DATABASE_URL: url, TOKEN_ENCRYPTION_KEY: randomBytes(32).toString('hex') });
  const starting = startServer(config, { logger: createSilentLogger() });
  try {
    let answer: Response | undefined;
    for (let i = 0; i < 200 && !answer; i += 1) {
      answer = await fetch(`http://127.0.0.1:${port}/readyz`).catch(() => undefined);
      if (!answer) await new Promise((r) => setTimeout(r, 20));
    }
    expect(answer?.status).toBe(503);
    expect((await fetch(`http://127.0.0.1:${port}/healthz`)).status).toBe(503);
  } finally {
    await other.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]);
    await other.end();
  }
  const server = await starting;
  try {
    expect((await fetch(`${server.url}/readyz`)).status).toBe(200);
  } finally {
    await server.close();
  }
});
