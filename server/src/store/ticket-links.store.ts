import type { TicketLink, TicketLinkStatus, Timestamp } from '@opencx/shared';

export interface TicketLinksStore {
  /** Links a ticket to a session, or re-points an existing link (a ticket belongs to one session at a time). */
  link(link: Pick<TicketLink, 'portalId' | 'ticketId' | 'sessionId'>, now: Timestamp): Promise<TicketLink>;
  findByTicket(portalId: number, ticketId: string): Promise<TicketLink | null>;
  /** The tickets whose properties and notes a session's effects update. */
  listBySession(sessionId: string, status?: TicketLinkStatus): Promise<TicketLink[]>;
  setStatus(portalId: number, ticketId: string, status: TicketLinkStatus, now: Timestamp): Promise<boolean>;
}
