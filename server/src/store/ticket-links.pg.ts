import type { TicketLink } from '@opencx/shared';
import type { Sql } from './pg-sql';
import type { TicketLinksStore } from './ticket-links.store';
import { toTicketLink, type TicketLinkRow } from './ticket-links.sqlite';

export function createTicketLinksPg(sql: Sql): TicketLinksStore {
  return {
    async link(link, now) {
      const row = await sql.one<TicketLinkRow>(
        `INSERT INTO ticket_links (portal_id, ticket_id, session_id, status, created_at, updated_at)
         VALUES ($1, $2, $3, 'active', $4, $4)
         ON CONFLICT (portal_id, ticket_id) DO UPDATE SET
           session_id = excluded.session_id, status = 'active', updated_at = excluded.updated_at
         RETURNING *`,
        [link.portalId, link.ticketId, link.sessionId, now],
      );
      return toTicketLink(row!);
    },
    async findByTicket(portalId, ticketId) {
      const row = await sql.one<TicketLinkRow>('SELECT * FROM ticket_links WHERE portal_id = $1 AND ticket_id = $2', [portalId, ticketId]);
      return row ? toTicketLink(row) : null;
    },
    async listBySession(sessionId, status) {
      const rows = status
        ? await sql.rows<TicketLinkRow>('SELECT * FROM ticket_links WHERE session_id = $1 AND status = $2 ORDER BY created_at', [sessionId, status])
        : await sql.rows<TicketLinkRow>('SELECT * FROM ticket_links WHERE session_id = $1 ORDER BY created_at', [sessionId]);
      return rows.map(toTicketLink);
    },
    async setStatus(portalId, ticketId, status, now) {
      return (await sql.run('UPDATE ticket_links SET status = $1, updated_at = $2 WHERE portal_id = $3 AND ticket_id = $4', [status, now, portalId, ticketId])) > 0;
    },
  };
}
