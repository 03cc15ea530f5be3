import pg from 'pg';

/** What runs a statement: the pool (any connection) or the one client of a transaction. */
export interface PgQueryable {
  query<R extends pg.QueryResultRow>(text: string, values?: unknown[]): Promise<pg.QueryResult<R>>;
}

/** Statement helpers for the *.pg.ts stores, so each reads like its SQLite twin. */
export interface Sql {
  rows<R extends pg.QueryResultRow>(text: string, values?: unknown[]): Promise<R[]>;
  one<R extends pg.QueryResultRow>(text: string, values?: unknown[]): Promise<R | undefined>;
  /** The number of rows the statement changed. */
  run(text: string, values?: unknown[]): Promise<number>;
}

export function sqlOver(db: PgQueryable): Sql {
  return {
    rows: async <R extends pg.QueryResultRow>(text: string, values?: unknown[]) => (await db.query<R>(text, values)).rows,
    one: async <R extends pg.QueryResultRow>(text: string, values?: unknown[]) => (await db.query<R>(text, values)).rows[0] as R | undefined,
    run: async (text, values) => (await db.query(text, values)).rowCount ?? 0,
  };
}

/** PostgreSQL's SQLSTATE for a unique (or primary-key) violation. */
export const isPgUniqueViolation = (err: unknown): boolean => (err as { code?: unknown } | null)?.code === '23505';
