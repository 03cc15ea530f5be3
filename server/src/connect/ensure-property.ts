import { AI_STATUS_PROPERTY, HANDED_OFF_PROPERTY } from '@opencx/shared';
import type { AppDeps } from '../deps';
import type { TicketPropertyDefinition } from '../hubspot';

/**
 * Makes sure the portal has the AI status and handoff mark ticket properties (a 409 "exists" counts as success). A failure must not
 * fail the connect: it is logged, and retried on the next connect or reconnect of the portal.
 */
export async function ensureAiStatusProperty(deps: Pick<AppDeps, 'hubspot' | 'logger'>, portalId: number): Promise<boolean> {
  try {
    await deps.hubspot.ensureTicketProperty(portalId, AI_STATUS_PROPERTY as unknown as TicketPropertyDefinition);
    // The handoff mark: also created at handoff when missing (effects/handoff-mark.ts), so a failure here is no loss.
    await deps.hubspot.ensureTicketProperty(portalId, HANDED_OFF_PROPERTY as unknown as TicketPropertyDefinition);
    return true;
  } catch (error) {
    deps.logger.warn({ portalId, err: error }, 'could not create the AI status ticket property in HubSpot; retried on the next connect');
    return false;
  }
}
