// Row-level snapshots of what Connect must never lose, read straight from the SQLite file.
import { openDatabase } from '@opencx/server';
import type { Stack } from '../../support/stack';

export const PROTECTED_TABLES = ['chat_sessions', 'chat_history', 'ticket_links', 'signature_settings'] as const;
export type ProtectedTable = (typeof PROTECTED_TABLES)[number];
export type Snapshot = Record<ProtectedTable, Record<string, unknown>[]>;

const ORDER: Record<ProtectedTable, string> = {
  chat_sessions: 'id',
  chat_history: 'id',
  ticket_links: 'portal_id, ticket_id',
  signature_settings: 'organization_id',
};

/** Every row of the protected tables, through a second connection (as another process would see them). */
export function snapshotProtectedRows(stack: Stack): Snapshot {
  const db = openDatabase(stack.server.deps.config.databasePath);
  try {
    const out = {} as Snapshot;
    for (const table of PROTECTED_TABLES) out[table] = db.prepare(`SELECT * FROM ${table} ORDER BY ${ORDER[table]}`).all() as Record<string, unknown>[];
    return out;
  } finally {
    db.close();
  }
}

/** The connection as the store reports it, with its decrypted tokens: to show that a refused step changed nothing. */
export async function connectionState(stack: Stack, organizationId: string) {
  const { store } = stack.server.deps;
  const connection = await store.connections.findByOrganization(organizationId);
  const tokens = connection ? await store.connections.getTokens(connection.portalId) : null;
  return { connection, tokens };
}
