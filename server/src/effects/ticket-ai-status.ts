import { AI_STATUS_PROPERTY, AI_STATUS_PROPERTY_NAME, type TicketAiStatus } from '@opencx/shared';
import type { SyncDeps } from '../sync/sync-deps';
import { writeOwnedTicketProperty } from './own-ticket-property';

/** Mirrors the AI status into the ticket property (created again if an admin deleted it). */
export function writeTicketAiStatus(deps: Pick<SyncDeps, 'hubspot'>, portalId: number, ticketId: string, status: TicketAiStatus): Promise<void> {
  return writeOwnedTicketProperty(deps, portalId, ticketId, { name: AI_STATUS_PROPERTY_NAME, definition: AI_STATUS_PROPERTY }, status);
}
