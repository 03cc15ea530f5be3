import { randomUUID } from 'node:crypto';
import type { AdminContext } from '../admin/admin-session';
import { createSecretToken, hashSecretToken } from '../admin/secret-token';
import type { AppDeps } from '../deps';
import type { PendingInstall } from '../store/pending-installs.store';
import { bindGrant, type BindOutcome } from './bind-portal';
import { ConnectFailure } from './connect-failure';
import { revokeQuietly, type Grant } from './grant';

/** A marketplace install waits a day for an admin to sign in and attach it; then its tokens are revoked. */
export const MARKETPLACE_PENDING_TTL_MS = 24 * 60 * 60_000;

type Deps = Pick<AppDeps, 'config' | 'store' | 'clock' | 'logger' | 'oauth' | 'hubspot'>;

/**
 * An install that came back without our state (started from HubSpot's marketplace): held, encrypted, until an
 * admin signs in *in the same browser* (the claim cookie) and attaches it to their organization. No organization
 * changes until then.
 */
export async function holdMarketplaceInstall(
  deps: Deps,
  grant: Grant,
  claimToken: string = createSecretToken(),
): Promise<{ pendingId: string; claimToken: string }> {
  const pendingId = `pi_${randomUUID()}`;
  const now = deps.clock.now();
  await deps.store.pendingInstalls.save(
    {
      id: pendingId,
      kind: 'marketplace',
      portalId: grant.portalId,
      organizationId: null,
      sessionHash: null,
      claimHash: hashSecretToken(claimToken),
      connectedBy: grant.connectedBy,
      scopes: grant.scopes,
      hubDomain: grant.hubDomain,
      expiresAt: now + MARKETPLACE_PENDING_TTL_MS,
      credentials: grant.credentials,
    },
    now,
  );
  deps.logger.info({ portalId: grant.portalId, pendingId }, 'HubSpot install from the marketplace held until an admin attaches it');
  return { pendingId, claimToken };
}

export async function listClaimedInstalls(deps: Deps, claimToken: string | undefined): Promise<PendingInstall[]> {
  if (!claimToken) return [];
  return deps.store.pendingInstalls.listByClaim(hashSecretToken(claimToken), deps.clock.now());
}

/** Attaches a marketplace install this browser finished to the signed-in admin's organization. */
export async function attachMarketplaceInstall(deps: Deps, context: AdminContext, pendingId: string, claimToken: string | undefined): Promise<BindOutcome> {
  const pending = await deps.store.pendingInstalls.get(pendingId, deps.clock.now());
  if (!pending || pending.kind !== 'marketplace' || !claimToken || pending.claimHash !== hashSecretToken(claimToken)) {
    throw new ConnectFailure('pending_not_found', 'no such marketplace install for this browser');
  }
  return bindTaken(deps, context, pendingId, false);
}

/** The admin confirmed moving the organization to the portal they approved. Same session only. */
export async function confirmPortalChange(deps: Deps, context: AdminContext, pendingId: string): Promise<BindOutcome> {
  await requirePortalChange(deps, context, pendingId);
  return bindTaken(deps, context, pendingId, true);
}

export async function cancelPortalChange(deps: Deps, context: AdminContext, pendingId: string): Promise<void> {
  await requirePortalChange(deps, context, pendingId);
  const taken = await deps.store.pendingInstalls.take(pendingId, deps.clock.now());
  if (taken?.credentials.authMode === 'oauth') await revokeQuietly(deps, taken.credentials.tokens.refreshToken, taken.portalId);
}

export async function findPortalChange(deps: Deps, context: AdminContext, pendingId: string): Promise<PendingInstall> {
  return requirePortalChange(deps, context, pendingId);
}

async function requirePortalChange(deps: Deps, context: AdminContext, pendingId: string): Promise<PendingInstall> {
  const pending = await deps.store.pendingInstalls.get(pendingId, deps.clock.now());
  if (
    !pending ||
    pending.kind !== 'portal_change' ||
    pending.organizationId !== context.organization.id ||
    pending.sessionHash !== context.sessionHash
  ) {
    throw new ConnectFailure('pending_not_found', 'no such portal change for this session');
  }
  return pending;
}

async function bindTaken(deps: Deps, context: AdminContext, pendingId: string, allowPortalChange: boolean): Promise<BindOutcome> {
  const taken = await deps.store.pendingInstalls.take(pendingId, deps.clock.now());
  if (!taken) throw new ConnectFailure('pending_not_found', 'the pending install was used or expired meanwhile');
  const { credentials, portalId, connectedBy, scopes, hubDomain } = taken;
  return bindGrant(deps, {
    organizationId: context.organization.id,
    sessionHash: context.sessionHash,
    allowPortalChange,
    grant: { portalId, connectedBy, scopes, hubDomain, credentials },
  });
}

/** Housekeeping on each install: expired states, links, sessions; unclaimed grants are revoked and dropped. */
export async function sweepExpired(deps: Deps): Promise<void> {
  const now = deps.clock.now();
  await deps.store.oauthStates.deleteExpired(now);
  await deps.store.admins.deleteExpired(now);
  for (const credentials of await deps.store.pendingInstalls.takeExpired(now)) {
    if (credentials.authMode === 'oauth') await revokeQuietly(deps, credentials.tokens.refreshToken, 0);
  }
}

