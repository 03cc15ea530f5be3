import { randomUUID } from 'node:crypto';
import type { Clock } from '../clock';
import { AppError } from '../errors';
import { HubSpotOAuthError, type AccessTokenSource, type HubSpotOAuthClient, type TokenSet } from '../hubspot';
import { realSleep } from '../hubspot/rate-limiter';
import type { Logger } from '../logger';
import type { Store } from '../store/store';

export interface TokenProviderOptions {
  /** Refresh when fewer than this many ms of the access token remain. HubSpot tokens live 30 minutes. */
  refreshMarginMs?: number;
  /** How long a process may hold a portal's refresh lease before others assume it died. */
  leaseMs?: number;
  /** How often a process waiting for another's refresh looks at the stored token again. */
  pollMs?: number;
  /** Longest a caller waits for another process's refresh before giving up (real time). */
  maxWaitMs?: number;
  /** Attempts of one refresh when HubSpot fails transiently (5xx, 429, network). */
  refreshAttempts?: number;
  retryDelayMs?: number;
  /** This process's lease owner id; random by default. */
  owner?: string;
  sleep?: (ms: number) => Promise<void>;
}

export interface TokenProviderDeps {
  store: Store;
  clock: Clock;
  /** Null when no HubSpot app is configured: OAuth tokens then cannot be refreshed. */
  oauth: HubSpotOAuthClient | null;
  logger: Pick<Logger, 'info' | 'warn'>;
  /** Told of every refresh's outcome: the metrics. */
  onRefresh?: (outcome: 'ok' | 'failed' | 'invalid_grant') => void;
}

export const REFRESH_MARGIN_MS = 5 * 60_000;
export const RECONNECT_REASON = 'HubSpot rejected the refresh token: the app was uninstalled or its access was revoked. Reconnect to continue.';
export const PRIVATE_APP_REJECTED_REASON =
  'HubSpot refused the Private App access token: it was rotated, or the Private App was deleted. Paste a new token, or connect through OAuth.';

/**
 * Hands out a usable access token per portal: the legacy Private App token as stored, or the OAuth access token,
 * refreshed ahead of expiry. A refresh is single-flight twice over: in this process (one promise per portal) and
 * across processes (a lease row in the database, taken by one atomic UPDATE). Whoever does not hold the lease waits
 * and re-reads the token the holder stores. `invalid_grant` means the install is gone: the connection becomes
 * `reconnect_required` and the settings page asks the admin to reconnect.
 */
export function createTokenProvider(deps: TokenProviderDeps, options: TokenProviderOptions = {}): AccessTokenSource {
  const margin = options.refreshMarginMs ?? REFRESH_MARGIN_MS;
  const leaseMs = options.leaseMs ?? 30_000;
  const pollMs = options.pollMs ?? 50;
  const maxWaitMs = options.maxWaitMs ?? 20_000;
  const attempts = options.refreshAttempts ?? 3;
  const retryDelayMs = options.retryDelayMs ?? 250;
  const owner = options.owner ?? `proc-${randomUUID()}`;
  const sleep = options.sleep ?? realSleep;
  const inFlight = new Map<number, Promise<string>>();
  /** Access tokens HubSpot refused before their stated expiry: treated as due for refresh. */
  const rejected = new Map<number, string>();
  const { store, clock } = deps;

  /** The usable token now, or null when a refresh is due. Throws when the portal cannot be used at all. */
  async function readUsable(portalId: number): Promise<{ token: string } | { due: { accessToken: string; refreshToken: string; expiresAt: number } }> {
    const connection = await store.connections.findByPortal(portalId);
    if (!connection || connection.status === 'disconnected') {
      throw new AppError('unknown_portal', `HubSpot portal ${portalId} is not connected to OpenCX`);
    }
    if (connection.status === 'reconnect_required') {
      throw new AppError('reconnect_required', `HubSpot portal ${portalId} must be reconnected`);
    }
    const tokens = await store.connections.getTokens(portalId);
    if (tokens?.authMode === 'private_app' && tokens.privateAppToken) return { token: tokens.privateAppToken };
    if (tokens?.authMode === 'oauth' && tokens.oauth) {
      const refused = rejected.get(portalId) === tokens.oauth.accessToken;
      if (!refused && tokens.oauth.expiresAt - clock.now() > margin) return { token: tokens.oauth.accessToken };
      return { due: tokens.oauth };
    }
    throw new AppError('reconnect_required', `HubSpot portal ${portalId} has no usable credentials`);
  }

  async function refreshOnce(refreshToken: string, portalId: number): Promise<TokenSet> {
    if (!deps.oauth) throw new AppError('unavailable', 'HubSpot app credentials are not configured, so tokens cannot be refreshed');
    for (let attempt = 1; ; attempt += 1) {
      try {
        return await deps.oauth.refresh(refreshToken);
      } catch (error) {
        if (!(error instanceof HubSpotOAuthError) || !error.isTransient || attempt >= attempts) throw error;
        deps.logger.warn({ portalId, attempt, status: error.status }, 'HubSpot token refresh failed; retrying');
        await sleep(retryDelayMs * attempt);
      }
    }
  }

  /** Runs while this process holds the portal's lease. */
  async function refreshHoldingLease(portalId: number): Promise<string> {
    // Another process may have refreshed between our read and our lease.
    const current = await readUsable(portalId);
    if ('token' in current) return current.token;
    let set: TokenSet;
    try {
      set = await refreshOnce(current.due.refreshToken, portalId);
    } catch (error) {
      deps.onRefresh?.(error instanceof HubSpotOAuthError && error.kind === 'invalid_grant' ? 'invalid_grant' : 'failed');
      if (error instanceof HubSpotOAuthError && error.kind === 'invalid_grant') {
        // Unless an admin reconnected meanwhile (new tokens stored): their connection is fine.
        const stored = await store.connections.getTokens(portalId);
        if (stored?.oauth?.refreshToken === current.due.refreshToken) {
          await store.connections.setStatus(portalId, 'reconnect_required', RECONNECT_REASON, clock.now());
          const organizationId = (await store.connections.findByPortal(portalId))?.organizationId ?? null;
          await store.problems.record({ organizationId, portalId, kind: 'token_refused', message: RECONNECT_REASON, threadId: null, at: clock.now() });
        }
        deps.logger.warn({ portalId, hubspotStatus: error.hubspotStatus }, 'HubSpot refused the refresh token; reconnect required');
        throw new AppError('reconnect_required', `HubSpot portal ${portalId} must be reconnected`, { cause: error });
      }
      // The old token may still have a few minutes left: better than failing the caller (unless HubSpot refused it).
      if (current.due.expiresAt > clock.now() && rejected.get(portalId) !== current.due.accessToken) {
        return current.due.accessToken;
      }
      throw new AppError('upstream_failed', 'HubSpot did not refresh the access token', { cause: error });
    }
    deps.onRefresh?.('ok');
    const now = clock.now();
    const stored = await store.connections.completeRefresh(
      portalId,
      owner,
      { accessToken: set.accessToken, refreshToken: set.refreshToken || current.due.refreshToken, expiresAt: now + set.expiresInSeconds * 1000 },
      now,
    );
    if (!stored) {
      // Disconnected, rolled back or moved while we refreshed: the new state wins; report it, not our token.
      const after = await readUsable(portalId);
      return 'token' in after ? after.token : set.accessToken;
    }
    deps.logger.info({ portalId }, 'HubSpot access token refreshed');
    return set.accessToken;
  }

  async function refreshAcrossProcesses(portalId: number): Promise<string> {
    const deadline = Date.now() + maxWaitMs;
    for (;;) {
      const now = clock.now();
      if (await store.connections.acquireRefreshLease(portalId, owner, now + leaseMs, now)) {
        try {
          return await refreshHoldingLease(portalId);
        } finally {
          await store.connections.releaseRefreshLease(portalId, owner);
        }
      }
      await sleep(pollMs);
      const current = await readUsable(portalId);
      if ('token' in current) return current.token;
      if (Date.now() > deadline) {
        throw new AppError('unavailable', `Timed out waiting for the HubSpot token of portal ${portalId} to be refreshed`);
      }
    }
  }

  return {
    async tokenRejected(portalId, token) {
      const tokens = await store.connections.getTokens(portalId);
      if (tokens?.authMode === 'private_app' && tokens.privateAppToken === token) {
        // A Private App token cannot be renewed: retrying forever helps nobody. The admin is asked for a new one
        // (the card and the settings page show "Reconnect required") and sees the problem listed.
        const now = clock.now();
        const wasConnected = (await store.connections.findByPortal(portalId))?.status === 'connected';
        if (wasConnected && (await store.connections.setStatus(portalId, 'reconnect_required', PRIVATE_APP_REJECTED_REASON, now))) {
          await store.problems.record({ organizationId: tokens.organizationId, portalId, kind: 'token_refused', message: PRIVATE_APP_REJECTED_REASON, threadId: null, at: now });
          deps.logger.warn({ portalId }, 'HubSpot refused the Private App token; the connection needs a new one');
        }
        return false;
      }
      // A token already replaced needs no refresh, just a new read.
      if (tokens?.authMode !== 'oauth' || !tokens.oauth) return false;
      if (tokens.oauth.accessToken === token) rejected.set(portalId, token);
      return true;
    },
    async accessTokenFor(portalId) {
      const current = await readUsable(portalId);
      if ('token' in current) return current.token;
      let shared = inFlight.get(portalId);
      if (!shared) {
        shared = refreshAcrossProcesses(portalId).finally(() => inFlight.delete(portalId));
        inFlight.set(portalId, shared);
      }
      return shared;
    },
  };
}
