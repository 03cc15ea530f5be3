import type { AdminContext } from '../admin/admin-session';
import type { AppDeps } from '../deps';
import { AppError } from '../errors';
import { revokeQuietly } from './grant';

type Deps = Pick<AppDeps, 'store' | 'clock' | 'logger' | 'oauth'>;

/**
 * Disconnect: the refresh token is revoked at HubSpot, every stored token is deleted and the connection becomes
 * `disconnected`. The connection row, sessions, history, ticket links and settings all stay, so connecting the same
 * portal again picks up where the organization left off. `revoked` is false when HubSpot could not be reached (the
 * tokens are deleted anyway, and the page suggests uninstalling the app in HubSpot), null when there was no OAuth
 * token to revoke (a Private App token cannot be revoked by us: the admin deletes the Private App in HubSpot).
 */
export async function disconnectOrganization(deps: Deps, context: AdminContext): Promise<{ revoked: boolean | null }> {
  const connection = await deps.store.connections.findByOrganization(context.organization.id);
  if (!connection || connection.status === 'disconnected') throw new AppError('conflict', 'HubSpot is not connected');
  const tokens = await deps.store.connections.getTokens(connection.portalId);
  const refreshToken = tokens?.oauth?.refreshToken;
  const revoked = refreshToken ? await revokeQuietly(deps, refreshToken, connection.portalId) : null;
  await deps.store.connections.disconnect(connection.portalId, `Disconnected by ${context.admin.email}`, deps.clock.now());
  deps.logger.info({ organizationId: context.organization.id, portalId: connection.portalId, revoked }, 'HubSpot disconnected');
  return { revoked };
}
