import type { Clock } from '../clock';
import { AppError } from '../errors';
import type { AccessTokenSource } from '../hubspot';
import type { Store } from '../store/store';

/**
 * Hands out a usable access token per portal: the OAuth access token, or the legacy Private App token.
 * This first version only reads what is stored and refuses an expired token; refreshing ahead of expiry
 * (single-flight per portal, across processes) belongs to the Connect work and replaces it here.
 */
export function createTokenProvider(deps: { store: Store; clock: Clock }): AccessTokenSource {
  return {
    async accessTokenFor(portalId) {
      const connection = await deps.store.connections.findByPortal(portalId);
      if (!connection || connection.status === 'disconnected') {
        throw new AppError('unknown_portal', `HubSpot portal ${portalId} is not connected to OpenCX`);
      }
      if (connection.status === 'reconnect_required') {
        throw new AppError('reconnect_required', `HubSpot portal ${portalId} must be reconnected`);
      }
      const tokens = await deps.store.connections.getTokens(portalId);
      if (tokens?.authMode === 'private_app' && tokens.privateAppToken) return tokens.privateAppToken;
      if (tokens?.authMode === 'oauth' && tokens.oauth && tokens.oauth.expiresAt > deps.clock.now()) {
        return tokens.oauth.accessToken;
      }
      throw new AppError('reconnect_required', `HubSpot portal ${portalId} has no valid access token`);
    },
  };
}
