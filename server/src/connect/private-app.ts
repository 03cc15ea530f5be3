import type { AdminContext } from '../admin/admin-session';
import type { AppDeps } from '../deps';
import { AppError } from '../errors';
import { bindGrant, type BindOutcome } from './bind-portal';
import { ensureAiStatusProperty } from './ensure-property';
import { revokeQuietly } from './grant';

type Deps = Pick<AppDeps, 'config' | 'store' | 'clock' | 'logger' | 'oauth' | 'hubspot'>;

/** Where a legacy Private App must send its webhooks; shown to admins on the legacy path. */
export const webhookUrlOf = (deps: Pick<AppDeps, 'config'>) => `${deps.config.publicBaseUrl}/hubspot/webhooks`;

function assertLegacyAllowed(context: AdminContext): void {
  if (context.organization.oauthOnly) {
    throw new AppError('forbidden', 'This organization connects HubSpot through OAuth only; Private App tokens are not accepted');
  }
}

/** Asks HubSpot which portal the token opens; a refused token is the admin's input error, not ours. */
async function checkToken(deps: Deps, token: string): Promise<{ portalId: number }> {
  let check;
  try {
    check = await deps.hubspot.checkPrivateAppToken(token);
  } catch (error) {
    throw new AppError('upstream_failed', 'HubSpot did not answer while checking the token; try again in a few minutes', { cause: error });
  }
  if (!check.valid) {
    throw new AppError(
      'validation_failed',
      check.reason === 'unauthorized'
        ? 'HubSpot did not accept this token. Copy the access token of your Private App again (it starts with "pat-").'
        : 'HubSpot accepted the token but it lacks the scopes OpenCX needs. Add them to the Private App and try again.',
    );
  }
  return { portalId: check.portalId };
}

/** The legacy path: a pasted token, checked against HubSpot before anything is saved. */
export async function connectPrivateApp(deps: Deps, context: AdminContext, rawToken: string, allowPortalChange = false): Promise<BindOutcome> {
  assertLegacyAllowed(context);
  const token = rawToken.trim();
  if (token.length < 10 || token.length > 500 || /\s/.test(token)) {
    throw new AppError('validation_failed', 'Paste the access token of your HubSpot Private App (it starts with "pat-").');
  }
  const { portalId } = await checkToken(deps, token);
  return bindGrant(deps, {
    organizationId: context.organization.id,
    sessionHash: context.sessionHash,
    allowPortalChange,
    grant: {
      portalId,
      connectedBy: { hubspotUserId: null, email: context.admin.email },
      // Account details name neither the token's scopes nor the portal's domain.
      scopes: [],
      hubDomain: null,
      credentials: { authMode: 'private_app', token },
    },
  });
}

/**
 * Rollback from OAuth to the Private App token kept since the migration. The token is checked first (the admin may
 * have deleted the Private App in HubSpot meanwhile); the OAuth tokens are then deleted and revoked.
 */
export async function rollBackToPrivateApp(deps: Deps, context: AdminContext): Promise<void> {
  assertLegacyAllowed(context);
  const connection = await deps.store.connections.findByOrganization(context.organization.id);
  if (!connection || connection.authMode !== 'oauth' || connection.status === 'disconnected') {
    throw new AppError('conflict', 'Only an organization connected over OAuth can roll back to its Private App token');
  }
  const tokens = await deps.store.connections.getTokens(connection.portalId);
  if (!tokens?.privateAppToken) {
    throw new AppError('conflict', 'No Private App token is stored for this organization; paste one in the Private App (legacy) form');
  }
  const { portalId } = await checkToken(deps, tokens.privateAppToken).catch((error: unknown) => {
    if (error instanceof AppError && error.code === 'validation_failed') {
      throw new AppError('validation_failed', 'The stored Private App token no longer works (was the Private App deleted in HubSpot?). Paste a new token in the Private App (legacy) form.');
    }
    throw error;
  });
  if (portalId !== connection.portalId) {
    throw new AppError('conflict', `The stored Private App token opens portal ${portalId}, not the connected portal ${connection.portalId}`);
  }
  const switched = await deps.store.connections.switchToPrivateApp(
    connection.portalId,
    { hubspotUserId: null, email: context.admin.email },
    deps.clock.now(),
  );
  if (!switched) throw new AppError('conflict', 'The connection changed meanwhile; reload the page');
  await revokeQuietly(deps, tokens.oauth?.refreshToken, connection.portalId);
  deps.logger.info({ organizationId: context.organization.id, portalId: connection.portalId }, 'rolled back to the Private App token');
  await ensureAiStatusProperty(deps, connection.portalId);
}
