import { AppError } from '../errors';
import { HubSpotApiError } from '../hubspot';

/**
 * HubSpot refused our credentials (the app was uninstalled, a scope is missing) or the token provider says the
 * grant is gone: only an admin reconnecting fixes it, so a workflow step fails with NOT_CONNECTED rather than
 * being retried for days.
 */
export function isConnectionLost(err: unknown): boolean {
  if (err instanceof HubSpotApiError) return err.kind === 'unauthorized' || err.kind === 'forbidden_scope';
  return err instanceof AppError && (err.code === 'reconnect_required' || err.code === 'unknown_portal');
}
