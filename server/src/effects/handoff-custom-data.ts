import { OpenCxApiError } from '../ai/opencx-api/errors';
import type { SyncDeps } from '../sync/sync-deps';

/**
 * Step 6 of the handoff (docs/handoff-and-sync.md): on the OpenCX API, the session's custom data is copied onto the
 * ticket's properties it maps, a key onto the portal's own ticket property of the same name (HubSpot's built-in and
 * read-only properties are never written, so custom data cannot rename or reassign a ticket). Keys without such a
 * property are left out: an admin maps one by creating the property in HubSpot.
 */
export async function copyCustomDataToTicket(deps: SyncDeps, sessionId: string, portalId: number, ticketId: string): Promise<string> {
  const link = await deps.store.opencxSessions.get(sessionId);
  if (!link) return 'no OpenCX session';
  const key = await deps.store.opencxKeys.get(link.organizationId);
  if (!key) return 'no OpenCX key';
  let customData: Record<string, string>;
  try {
    ({ customData } = await deps.opencx.getSession(key.apiKey, link.opencxSessionId));
  } catch (error) {
    // OpenCX refusing the read (key revoked, session gone) must not undo the rest of the handoff; a transient
    // failure is retried with the effect.
    if (error instanceof OpenCxApiError && !error.transient) return `OpenCX did not give the custom data (${error.code})`;
    throw error;
  }
  if (Object.keys(customData).length === 0) return 'no custom data';
  const writable = new Set(await deps.hubspot.listWritableCustomTicketProperties(portalId));
  const mapped = Object.fromEntries(Object.entries(customData).filter(([name]) => writable.has(name)));
  if (Object.keys(mapped).length === 0) return 'no custom data key maps to a ticket property';
  await deps.hubspot.updateTicket(portalId, ticketId, mapped);
  return `copied ${Object.keys(mapped).join(', ')}`;
}
