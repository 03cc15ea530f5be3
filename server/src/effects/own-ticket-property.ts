import { HubSpotApiError, type TicketPropertyDefinition } from '../hubspot';
import type { SyncDeps } from '../sync/sync-deps';

/** One of the ticket properties OpenCX owns (the AI status, the handoff mark), as shared/ defines it. */
type PropertyOption = NonNullable<TicketPropertyDefinition['options']>[number];

export interface OwnedProperty {
  name: string;
  definition: Omit<TicketPropertyDefinition, 'options'> & { options: readonly PropertyOption[] };
}

// UNVERIFIED: HubSpot answers a write to a missing property with 400 VALIDATION_ERROR whose message lists
// PROPERTY_DOESNT_EXIST for it (the sandbox's ASSUMPTION; docs/hubspot-contract.md §6 gives the generic body only).
const isMissing = (err: unknown, name: string): boolean =>
  err instanceof HubSpotApiError && err.kind === 'validation' && err.message.includes(name) && /PROPERTY_DOESNT_EXIST|does not exist/i.test(err.message);

/**
 * Writes one of OpenCX's own ticket properties. They are created on install; if an admin deleted one (or the
 * install predates it), it is created here and the write retried once. A PATCH of a value: safe to repeat.
 */
export async function writeOwnedTicketProperty(deps: Pick<SyncDeps, 'hubspot'>, portalId: number, ticketId: string, property: OwnedProperty, value: string): Promise<void> {
  const properties = { [property.name]: value };
  try {
    await deps.hubspot.updateTicket(portalId, ticketId, properties);
  } catch (err) {
    if (!isMissing(err, property.name)) throw err;
    await deps.hubspot.ensureTicketProperty(portalId, { ...property.definition, options: property.definition.options.map((o) => ({ ...o })) });
    await deps.hubspot.updateTicket(portalId, ticketId, properties);
  }
}
