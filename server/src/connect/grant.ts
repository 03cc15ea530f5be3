import type { ConnectedBy } from '@opencx/shared';
import type { Config } from '../config';
import type { AppDeps } from '../deps';
import { HubSpotOAuthError } from '../hubspot';
import type { PendingCredentials } from '../store/pending-installs.store';
import { ConnectFailure } from './connect-failure';

/** What HubSpot granted, before any organization holds it. */
export interface Grant {
  portalId: number;
  connectedBy: ConnectedBy;
  scopes: readonly string[];
  hubDomain: string | null;
  credentials: PendingCredentials;
}

type Deps = Pick<AppDeps, 'config' | 'oauth' | 'clock' | 'logger'>;
type RevokeDeps = Pick<AppDeps, 'oauth' | 'logger'>;

export const CALLBACK_PATH = '/oauth/callback';
/** Must be one of the app's redirectUrls (app-hsmeta.json: `${BACKEND_URL}/oauth/callback`). */
export const redirectUriOf = (config: Pick<Config, 'publicBaseUrl'>) => `${config.publicBaseUrl}${CALLBACK_PATH}`;

/**
 * Exchanges the authorization code and reads the token's metadata (portal, installing user, scopes) from the
 * introspection endpoint: the token response's own hub_id is not relied on (docs/hubspot-contract.md §1.2).
 */
export async function exchangeCodeForGrant(deps: Deps, code: string): Promise<Grant> {
  if (!deps.oauth) throw new ConnectFailure('not_configured', 'no HubSpot OAuth client');
  try {
    const tokens = await deps.oauth.exchangeCode({ code, redirectUri: redirectUriOf(deps.config) });
    const info = await deps.oauth.getAccessTokenInfo(tokens.accessToken);
    return {
      portalId: info.hubId,
      connectedBy: { hubspotUserId: info.userId ?? null, email: info.userEmail ?? null },
      scopes: info.scopes,
      hubDomain: info.hubDomain ?? null,
      credentials: {
        authMode: 'oauth',
        tokens: { accessToken: tokens.accessToken, refreshToken: tokens.refreshToken, expiresAt: deps.clock.now() + tokens.expiresInSeconds * 1000 },
      },
    };
  } catch (error) {
    if (error instanceof HubSpotOAuthError && error.kind === 'invalid_grant') {
      throw new ConnectFailure('bad_code', 'HubSpot refused the authorization code', { cause: error });
    }
    throw new ConnectFailure('hubspot_unavailable', 'HubSpot failed during the code exchange', { cause: error });
  }
}

/**
 * Revokes a refresh token we will not keep (a refused portal, a cancelled change, a replaced token). Best effort:
 * a failure is logged, never shown, since the admin's action has already been decided.
 */
export async function revokeQuietly(deps: RevokeDeps, refreshToken: string | null | undefined, portalId: number): Promise<boolean> {
  if (!refreshToken || !deps.oauth) return false;
  try {
    await deps.oauth.revoke(refreshToken);
    return true;
  } catch (error) {
    deps.logger.warn({ portalId, err: error }, 'could not revoke a HubSpot refresh token');
    return false;
  }
}

export async function discardGrant(deps: RevokeDeps, grant: Grant): Promise<void> {
  if (grant.credentials.authMode === 'oauth') await revokeQuietly(deps, grant.credentials.tokens.refreshToken, grant.portalId);
}
