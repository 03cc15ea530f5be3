import { AI_STATUS_PROPERTY, AI_STATUS_PROPERTY_NAME, type TicketAiStatus } from '@opencx/shared';
import { HubSpotApiError, type TicketPropertyDefinition } from '../hubspot';
import type { SyncDeps } from '../sync/sync-deps';

// UNVERIFIED: HubSpot answers a write to a missing property with 400 VALIDATION_ERROR whose message lists
// PROPERTY_DOESNT_EXIST for it (the sandbox's ASSUMPTION; docs/hubspot-contract.md §6 gives the generic body only).
const isMissingProperty = (err: unknown): boolean =>
  err instanceof HubSpotApiError &&
  err.kind === 'validation' &&
  err.message.includes(AI_STATUS_PROPERTY_NAME) &&
  /PROPERTY_DOESNT_EXIST|does not exist/i.test(err.message);

const definition = (): TicketPropertyDefinition => ({
  ...AI_STATUS_PROPERTY,
  options: AI_STATUS_PROPERTY.options.map((o) => ({ ...o })),
});

/**
 * Mirrors the AI status into the ticket property. The property is created on install; if an admin deleted it
 * (or the install predates it), it is created here and the write retried once.
 */
export async function writeTicketAiStatus(deps: Pick<SyncDeps, 'hubspot'>, portalId: number, ticketId: string, status: TicketAiStatus): Promise<void> {
  const properties = { [AI_STATUS_PROPERTY_NAME]: status };
  try {
    await deps.hubspot.updateTicket(portalId, ticketId, properties);
  } catch (err) {
    if (!isMissingProperty(err)) throw err;
    await deps.hubspot.ensureTicketProperty(portalId, definition());
    await deps.hubspot.updateTicket(portalId, ticketId, properties);
  }
}
