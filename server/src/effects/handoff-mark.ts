import { HANDED_OFF_PROPERTY, HANDED_OFF_PROPERTY_NAME } from '@opencx/shared';
import type { SyncDeps } from '../sync/sync-deps';
import { writeOwnedTicketProperty } from './own-ticket-property';

/** Marks the ticket as handed off (`opencx_handedoff` = true), creating the property if it is missing. */
export function markTicketHandedOff(deps: Pick<SyncDeps, 'hubspot'>, portalId: number, ticketId: string): Promise<void> {
  return writeOwnedTicketProperty(deps, portalId, ticketId, { name: HANDED_OFF_PROPERTY_NAME, definition: HANDED_OFF_PROPERTY }, 'true');
}
