import { randomUUID } from 'node:crypto';
import type { AuthMode, HubSpotConnection } from '@opencx/shared';
import type { AppDeps } from '../deps';
import { AppError } from '../errors';
import { ConnectFailure } from './connect-failure';
import { ensureAiStatusProperty } from './ensure-property';
import { discardGrant, revokeQuietly, type Grant } from './grant';

/** How long a reconnect to another portal waits for the admin's confirmation. */
export const PORTAL_CHANGE_TTL_MS = 15 * 60_000;

export type BindOutcome =
  | {
      kind: 'connected';
      connection: HubSpotConnection;
      previousAuthMode: AuthMode | null;
      /** Set when the organization moved from another portal; that portal's ticket links are now stale. */
      movedFrom: { portalId: number; staleLinks: number } | null;
    }
  | { kind: 'confirm_portal_change'; pendingId: string; fromPortalId: number; toPortalId: number };

export interface BindInput {
  organizationId: string;
  grant: Grant;
  /** The admin has confirmed moving the organization to the grant's portal. */
  allowPortalChange: boolean;
  /** The admin session that must confirm a portal change. */
  sessionHash: string;
}

type Deps = Pick<AppDeps, 'config' | 'store' | 'clock' | 'logger' | 'oauth' | 'hubspot'>;

/**
 * Gives a grant to an organization: one portal per organization and one organization per portal. A portal of
 * another organization is refused; a different portal than the current one waits for the admin's confirmation
 * (the grant is held encrypted meanwhile). Only the connection row (and, on a portal change, the status of the old
 * portal's ticket links) changes: sessions, history, links and signature settings are never touched.
 */
export async function bindGrant(deps: Deps, input: BindInput): Promise<BindOutcome> {
  const { grant, organizationId } = input;
  const owner = await deps.store.connections.findByPortal(grant.portalId);
  if (owner && owner.organizationId !== organizationId) {
    await discardGrant(deps, grant);
    throw new ConnectFailure('portal_taken', `portal ${grant.portalId} belongs to another organization`);
  }
  const current = await deps.store.connections.findByOrganization(organizationId);
  if (current && current.portalId !== grant.portalId && !input.allowPortalChange) {
    const pendingId = `pi_${randomUUID()}`;
    const now = deps.clock.now();
    await deps.store.pendingInstalls.save(
      {
        id: pendingId,
        kind: 'portal_change',
        portalId: grant.portalId,
        organizationId,
        sessionHash: input.sessionHash,
        claimHash: null,
        connectedBy: grant.connectedBy,
        scopes: grant.scopes,
        hubDomain: grant.hubDomain,
        expiresAt: now + PORTAL_CHANGE_TTL_MS,
        credentials: grant.credentials,
      },
      now,
    );
    return { kind: 'confirm_portal_change', pendingId, fromPortalId: current.portalId, toPortalId: grant.portalId };
  }

  const replaced = current ? await deps.store.connections.getTokens(current.portalId) : null;
  const now = deps.clock.now();
  let saved: { connection: HubSpotConnection; movedFrom: { portalId: number; staleLinks: number } | null };
  try {
    saved = await deps.store.transaction(async (tx) => {
      const moved = await tx.connections.moveToPortal(organizationId, grant.portalId, now);
      const movedFrom = moved && moved.previousPortalId !== grant.portalId ? { portalId: moved.previousPortalId, staleLinks: moved.staleLinks } : null;
      const details = { organizationId, portalId: grant.portalId, connectedBy: grant.connectedBy, scopes: grant.scopes, hubDomain: grant.hubDomain };
      if (grant.credentials.authMode === 'oauth') {
        return { connection: await tx.connections.saveOAuthConnection({ ...details, tokens: grant.credentials.tokens }, now), movedFrom };
      }
      await tx.connections.savePrivateAppConnection({ ...details, token: grant.credentials.token }, now);
      await tx.connections.switchToPrivateApp(grant.portalId, grant.connectedBy, now);
      return { connection: (await tx.connections.findByPortal(grant.portalId))!, movedFrom };
    });
  } catch (error) {
    // Another organization took the portal between our check and our write.
    if (error instanceof AppError && error.code === 'conflict') {
      await discardGrant(deps, grant);
      throw new ConnectFailure('portal_taken', `portal ${grant.portalId} belongs to another organization`, { cause: error });
    }
    throw error;
  }
  const { connection, movedFrom } = saved;

  // A refresh token we no longer hold is revoked, unless HubSpot handed the same one back.
  // UNVERIFIED: whether a new install of the same app, user and portal gets a new refresh token or the old one
  // (docs/hubspot-contract.md §1.2: rotation unknown); comparing first makes both cases safe.
  const newRefresh = grant.credentials.authMode === 'oauth' ? grant.credentials.tokens.refreshToken : null;
  const oldRefresh = replaced?.oauth?.refreshToken ?? null;
  if (oldRefresh && oldRefresh !== newRefresh) await revokeQuietly(deps, oldRefresh, replaced!.portalId);
  deps.logger.info(
    { organizationId, portalId: grant.portalId, authMode: connection.authMode, movedFromPortalId: movedFrom?.portalId },
    'HubSpot portal connected',
  );
  await ensureAiStatusProperty(deps, grant.portalId);
  return { kind: 'connected', connection, previousAuthMode: current?.authMode ?? null, movedFrom };
}
