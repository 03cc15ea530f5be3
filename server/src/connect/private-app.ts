import type { AdminContext } from '../admin/admin-session';
import type { AppDeps } from '../deps';
import { AppError } from '../errors';
import { HubSpotApiError } from '../hubspot';
import { bindGrant, type BindOutcome } from './bind-portal';
import { ensureAiStatusProperty } from './ensure-property';
import { revokeQuietly } from './grant';

type Deps = Pick<AppDeps, 'config' | 'store' | 'clock' | 'logger' | 'oauth' | 'hubspot'>;

/**
 * Where an organization's own Private App must send its webhooks: HubSpot signs them with that app's secret, which
 * OpenCX only has if the admin gives it, so the URL carries the organization's secret instead (routes/legacy-webhooks.ts).
 */
export const legacyWebhookUrlOf = (deps: Pick<AppDeps, 'config'>, secret: string) => `${deps.config.publicBaseUrl}/hubspot/webhooks/legacy/${secret}`;

/** What the legacy form sends: the token, the HubSpot user the AI posts as, and optionally the app's client secret. */
export interface PrivateAppForm {
  token: string;
  defaultUserId: string;
  clientSecret?: string;
}

// `pat-<region>-<uuid>`; the region varies (na1, eu1, …), so any lowercase region is accepted.
const PAT_FORMAT = /^pat-[a-z0-9]{2,8}-[A-Za-z0-9-]{8,200}$/;
const CLIENT_SECRET_FORMAT = /^[A-Za-z0-9-]{8,200}$/;

function parseForm(form: PrivateAppForm): { token: string; userId: number; clientSecret: string | null } {
  const token = form.token.trim();
  if (!PAT_FORMAT.test(token)) {
    throw new AppError('validation_failed', 'Paste the access token of your HubSpot Private App: it starts with "pat-" and a region, like pat-na1-….');
  }
  const userId = Number(form.defaultUserId.trim());
  if (!/^\d{1,15}$/.test(form.defaultUserId.trim()) || !Number.isSafeInteger(userId) || userId <= 0) {
    throw new AppError('validation_failed', 'Default User ID must be the numeric ID of the HubSpot user the AI posts as (HubSpot: Settings → Users & Teams).');
  }
  const clientSecret = form.clientSecret?.trim() || null;
  if (clientSecret !== null && !CLIENT_SECRET_FORMAT.test(clientSecret)) {
    throw new AppError('validation_failed', 'The client secret is the Private App\'s "Client secret" (letters, digits and dashes); leave it empty if you do not have it.');
  }
  return { token, userId, clientSecret };
}

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

/**
 * The legacy path: a pasted token and the Default User ID, both checked with HubSpot (the token works, its portal,
 * the user exists there) before anything is saved. The user becomes the AI sender; a client secret, when given,
 * makes the organization's webhook URL check HubSpot's signature too.
 */
export async function connectPrivateApp(deps: Deps, context: AdminContext, form: PrivateAppForm, allowPortalChange = false): Promise<BindOutcome> {
  assertLegacyAllowed(context);
  const { token, userId, clientSecret } = parseForm(form);
  const { portalId } = await checkToken(deps, token);
  const aiUser = await findUser(deps, token, portalId, userId);
  const outcome = await bindGrant(deps, {
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
  // A portal change waits for the admin's confirmation; the AI sender is then picked on the page.
  if (outcome.kind === 'connected') {
    const now = deps.clock.now();
    await deps.store.connections.setAiUser(context.organization.id, aiUser, now);
    await deps.store.legacyWebhooks.setClientSecret(context.organization.id, clientSecret, now);
  }
  return outcome;
}

async function findUser(deps: Deps, token: string, portalId: number, userId: number) {
  let user;
  try {
    user = await deps.hubspot.findUserWithToken(token, userId);
  } catch (error) {
    if (error instanceof HubSpotApiError && error.kind === 'forbidden_scope') {
      throw new AppError('validation_failed', 'HubSpot accepted the token but the Private App lacks the scope crm.objects.owners.read, which OpenCX needs to check the Default User ID and to recognise agents. Add it and try again.');
    }
    throw new AppError('upstream_failed', 'HubSpot did not answer while checking the Default User ID; try again in a few minutes', { cause: error });
  }
  if (!user) {
    throw new AppError('validation_failed', `HubSpot portal ${portalId} has no active user with ID ${userId}. Copy the numeric ID of the user the AI should post as (HubSpot: Settings → Users & Teams).`);
  }
  return { hubspotUserId: user.userId, name: user.name, email: user.email };
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
