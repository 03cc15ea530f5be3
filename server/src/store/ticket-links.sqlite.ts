import type { TicketLink } from '@opencx/shared';
import type { SqliteDatabase } from './db';
import type { TicketLinksStore } from './ticket-links.store';

export interface TicketLinkRow {
  portal_id: number;
  ticket_id: string;
  session_id: string;
  status: TicketLink['status'];
  created_at: number;
  updated_at: number;
}

export function createTicketLinksSqlite(db: SqliteDatabase): TicketLinksStore {
  const upsert = db.prepare<{ portalId: number; ticketId: string; sessionId: string; now: number }, TicketLinkRow>(
    `INSERT INTO ticket_links (portal_id, ticket_id, session_id, status, created_at, updated_at)
     VALUES (@portalId, @ticketId, @sessionId, 'active', @now, @now)
     ON CONFLICT (portal_id, ticket_id) DO UPDATE SET
       session_id = excluded.session_id, status = 'active', updated_at = excluded.updated_at
     RETURNING *`,
  );
  const byTicket = db.prepare<[number, string], TicketLinkRow>('SELECT * FROM ticket_links WHERE portal_id = ? AND ticket_id = ?');
  const bySession = db.prepare<[string], TicketLinkRow>('SELECT * FROM ticket_links WHERE session_id = ? ORDER BY created_at');
  const bySessionAndStatus = db.prepare<[string, string], TicketLinkRow>(
    'SELECT * FROM ticket_links WHERE session_id = ? AND status = ? ORDER BY created_at',
  );
  const updateStatus = db.prepare('UPDATE ticket_links SET status = ?, updated_at = ? WHERE portal_id = ? AND ticket_id = ?');

  return {
    async link(link, now) {
      return toTicketLink(upsert.get({ ...link, now })!);
    },
    async findByTicket(portalId, ticketId) {
      const row = byTicket.get(portalId, ticketId);
      return row ? toTicketLink(row) : null;
    },
    async listBySession(sessionId, status) {
      const rows = status ? bySessionAndStatus.all(sessionId, status) : bySession.all(sessionId);
      return rows.map(toTicketLink);
    },
    async setStatus(portalId, ticketId, status, now) {
      return updateStatus.run(status, now, portalId, ticketId).changes > 0;
    },
  };
}

export function toTicketLink(row: TicketLinkRow): TicketLink {
  return {
    portalId: row.portal_id,
    ticketId: row.ticket_id,
    sessionId: row.session_id,
    status: row.status,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}
