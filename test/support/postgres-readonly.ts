// Reads a PostgreSQL database from the outside, as an operator would (postgres-readonly's twin of
// sqlite-readonly.ts): what is durably stored, whatever the server processes are doing or however they died.
import pg from 'pg';
import { factsFrom, FACT_QUERIES, type FactRows, type StoredFacts } from '../fault/burst-kit';

export async function withPostgres<T>(url: string, read: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await read(client);
  } finally {
    await client.end();
  }
}

export async function readFactsPg(url: string): Promise<StoredFacts> {
  return withPostgres(url, async (client) => {
    const rows: Record<string, unknown[]> = {};
    for (const [name, sql] of Object.entries(FACT_QUERIES)) rows[name] = (await client.query(sql)).rows;
    return factsFrom(rows as FactRows);
  });
}

/** What is still to do, one line a row: nothing once every process is done with everything it was given. */
export async function unfinishedRowsPg(url: string): Promise<string[]> {
  return withPostgres(url, async (client) => {
    const { rows } = await client.query<{ row: string }>(`
      SELECT 'inbox ' || status || ' ' || ordering_key || ' ' || coalesce(last_error, '') AS row FROM webhook_inbox WHERE status IN ('pending', 'processing')
      UNION ALL SELECT 'effect ' || status || ' ' || effect || ' ' || coalesce(last_error, '') FROM effects_outbox WHERE status IN ('pending', 'processing')
      UNION ALL SELECT 'reply ' || status || ' ' || request_key FROM ai_replies WHERE status NOT IN ('answered', 'handoff')`);
    return rows.map((r) => r.row);
  });
}
