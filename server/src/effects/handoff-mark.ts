import { HANDED_OFF_PROPERTY, HANDED_OFF_PROPERTY_NAME } from '@opencx/shared';
import { HubSpotApiError, type TicketPropertyDefinition } from '../hubspot';
import type { SyncDeps } from '../sync/sync-deps';

// Same signal as ticket-ai-status.ts: a write to a property the portal lacks is a 400 naming it.
const isMissingProperty = (err: unknown): boolean =>
  err instanceof HubSpotApiError && err.kind === 'validation' && err.message.includes(HANDED_OFF_PROPERTY_NAME) && /PROPERTY_DOESNT_EXIST|does not exist/i.test(err.message);

const definition = (): TicketPropertyDefinition => ({ ...HANDED_OFF_PROPERTY, options: HANDED_OFF_PROPERTY.options.map((o) => ({ ...o })) });

/**
 * Marks the ticket as handed off (`opencx_handedoff` = true), creating the property first when an admin deleted it
 * or the install predates it. A PATCH of a value: running it twice changes nothing.
 */
export async function markTicketHandedOff(deps: Pick<SyncDeps, 'hubspot'>, portalId: number, ticketId: string): Promise<void> {
  const properties = { [HANDED_OFF_PROPERTY_NAME]: 'true' };
  try {
    await deps.hubspot.updateTicket(portalId, ticketId, properties);
  } catch (err) {
    if (!isMissingProperty(err)) throw err;
    await deps.hubspot.ensureTicketProperty(portalId, definition());
    await deps.hubspot.updateTicket(portalId, ticketId, properties);
  }
}
