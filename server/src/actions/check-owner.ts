import type { AppDeps } from '../deps';
import { HubSpotApiError } from '../hubspot';
import { isConnectionLost } from '../failure';

export type OwnerCheck = 'exists' | 'unknown_owner' | 'not_connected';

/**
 * Whether the owner a handoff should assign exists in the portal, asked before acting so that a mistyped owner
 * fails the workflow step with a message instead of leaving a dead effect behind. One attempt only: HubSpot
 * waits for our answer, and a transient failure is better answered 503 (HubSpot calls again) than waited out.
 * Transient failures propagate.
 */
export async function checkOwner(deps: Pick<AppDeps, 'hubspot'>, portalId: number, ownerId: string): Promise<OwnerCheck> {
  try {
    const owner = await deps.hubspot.withRetryPolicy({ attempts: 1 }).getOwner(portalId, ownerId);
    // A deactivated user's owner record stays readable but cannot own tickets.
    return owner.archived ? 'unknown_owner' : 'exists';
  } catch (err) {
    if (err instanceof HubSpotApiError && (err.kind === 'not_found' || err.kind === 'validation')) return 'unknown_owner';
    if (isConnectionLost(err)) return 'not_connected';
    throw err;
  }
}
