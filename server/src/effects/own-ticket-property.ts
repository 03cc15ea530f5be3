import { HubSpotApiError, type TicketPropertyDefinition } from '../hubspot';
import type { SyncDeps } from '../sync/sync-deps';

/** One of the ticket properties OpenCX owns (the AI status, the handoff mark), as shared/ defines it. */
type PropertyOption = NonNullable<TicketPropertyDefinition['options']>[number];

export interface OwnedProperty {
  name: string;
  definition: Omit<TicketPropertyDefinition, 'options'> & { options: readonly PropertyOption[] };
}

/** A value for one of OpenCX's own ticket properties. */
export interface OwnedPropertyWrite {
  property: OwnedProperty;
  value: string;
}

// UNVERIFIED: HubSpot answers a write to a missing property with 400 VALIDATION_ERROR whose message lists
// PROPERTY_DOESNT_EXIST for it (the sandbox's ASSUMPTION; docs/hubspot-contract.md §6 gives the generic body only).
const isMissing = (err: unknown, name: string): boolean =>
  err instanceof HubSpotApiError && err.kind === 'validation' && err.message.includes(name) && /PROPERTY_DOESNT_EXIST|does not exist/i.test(err.message);

/**
 * Writes one of OpenCX's own ticket properties. They are created on install; if an admin deleted one (or the
 * install predates it), it is created here and the write retried once. A PATCH of a value: safe to repeat.
 */
export function writeOwnedTicketProperty(deps: Pick<SyncDeps, 'hubspot'>, portalId: number, ticketId: string, property: OwnedProperty, value: string): Promise<void> {
  return writeOwnedTicketProperties(deps, portalId, ticketId, [{ property, value }]);
}

/**
 * Writes several of OpenCX's own ticket properties in one PATCH. Each property the refusal names as missing is
 * created and the write retried once, as a write of that property alone would; any other failure is thrown as is.
 * HubSpot validates an update whole, so a value it refuses also refuses the others: a caller that must not lose
 * one write to another's refusal falls back to writing them alone (handoff-mark.ts).
 */
export async function writeOwnedTicketProperties(
  deps: Pick<SyncDeps, 'hubspot'>,
  portalId: number,
  ticketId: string,
  writes: readonly OwnedPropertyWrite[],
): Promise<void> {
  const properties = Object.fromEntries(writes.map((w) => [w.property.name, w.value]));
  try {
    await deps.hubspot.updateTicket(portalId, ticketId, properties);
  } catch (err) {
    const missing = writes.filter((w) => isMissing(err, w.property.name));
    if (missing.length === 0) throw err;
    for (const { property } of missing) {
      await deps.hubspot.ensureTicketProperty(portalId, { ...property.definition, options: property.definition.options.map((o) => ({ ...o })) });
    }
    await deps.hubspot.updateTicket(portalId, ticketId, properties);
  }
}
