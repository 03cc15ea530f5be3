// Installs, OAuth tokens and private app tokens: the records behind /oauth/* and the API's bearer check.
import { SandboxError, type SandboxContext } from './context';
import { randomUUID } from 'node:crypto';
import { isoAt, newAccessToken, newAuthCode, newPrivateAppToken, newRefreshToken, nextId } from './ids';
import { requirePortal, requireUser } from './portals';
import type { AccessTokenRecord, AuthCodeRecord, JournalEntry, PrivateAppTokenRecord, RefreshTokenRecord } from './runtime-types';

// ASSUMPTION (UNVERIFIED): authorization codes live 5 minutes ("a short window to exchange it"). source: docs/hubspot-contract.md §1.1
export const AUTH_CODE_TTL_MS = 5 * 60_000;

/** Scopes granted when no app file declares any (a bare sandbox in its own tests). */
const FALLBACK_SCOPES = [
  'oauth', 'tickets', 'crm.objects.contacts.read', 'crm.objects.contacts.write', 'crm.objects.owners.read',
  'conversations.read', 'conversations.write', 'automation',
];

/**
 * What an install without named scopes grants: exactly what the app's hsmeta file asks for (required and
 * optional), as the consent screen would, so that a test shortcut can never hold a scope the app does not request.
 */
export function appScopes(ctx: SandboxContext): string[] {
  const app = ctx.project.app;
  const declared = app ? [...app.requiredScopes, ...app.optionalScopes] : [];
  return declared.length > 0 ? [...new Set(declared)] : FALLBACK_SCOPES;
}

export function installApp(ctx: SandboxContext, portalId: number, userId: number, scopes: string[]): void {
  const portal = requirePortal(ctx, portalId);
  requireUser(portal, userId);
  // ASSUMPTION (UNVERIFIED): re-authorizing replaces the granted scopes with the newly approved set. source: not documented in the reference
  portal.install = { portalId, userId, scopes: [...new Set(scopes)], installedAt: isoAt(ctx.now()), active: true };
  recordLifecycle(ctx, portalId, 'APP_INSTALL');
  ctx.log(`app installed in portal ${portalId} by user ${userId} (${scopes.join(' ')})`);
}

export function isInstalled(ctx: SandboxContext, portalId: number): boolean {
  return ctx.state.portals[String(portalId)]?.install?.active === true;
}

/** Uninstall revokes every OAuth token of the app in that portal (docs/hubspot-contract.md §1.5: refresh → BAD_REFRESH_TOKEN, API → 401). */
export function uninstallApp(ctx: SandboxContext, portalId: number): void {
  const portal = requirePortal(ctx, portalId);
  if (!portal.install?.active) throw new SandboxError(`app is not installed in portal ${portalId}`, 404);
  portal.install = { ...portal.install, active: false, uninstalledAt: isoAt(ctx.now()) };
  recordLifecycle(ctx, portalId, 'APP_UNINSTALL');
  for (const t of Object.values(ctx.state.accessTokens)) if (t.portalId === portalId) t.revoked = true;
  for (const t of Object.values(ctx.state.refreshTokens)) if (t.portalId === portalId) t.revoked = true;
  for (const execution of ctx.state.actionExecutions) {
    if (execution.portalId === portalId && execution.status === 'blocked') execution.status = 'expired';
  }
  ctx.log(`app uninstalled from portal ${portalId}`);
}

/** Installs and uninstalls reach the app only through its Webhooks Journal (docs/hubspot-contract.md §1.5). */
function recordLifecycle(ctx: SandboxContext, portalId: number, action: JournalEntry['action']): void {
  ctx.state.journal.push({ offset: randomUUID(), portalId, action, occurredAt: ctx.now(), eventId: nextId(ctx.state, 'eventId') });
}

/** A client-credentials token (the app's own, no portal); only the developer scopes asked for and known. */
export function issueAppToken(ctx: SandboxContext, requested: string[]): { token: string; scopes: string[]; expiresIn: number } {
  const scopes = requested.filter((s) => DEVELOPER_SCOPES.includes(s));
  const token = newAccessToken();
  ctx.state.appTokens[token] = { token, scopes, expiresAt: ctx.now() + ctx.config.accessTokenTtlSeconds * 1000 };
  return { token, scopes, expiresIn: ctx.config.accessTokenTtlSeconds };
}

/** The developer scopes of a client-credentials token, as the Webhooks Journal guide names them. */
export const DEVELOPER_SCOPES = [
  'developer.webhooks_journal.read', 'developer.webhooks_journal.subscriptions.read', 'developer.webhooks_journal.subscriptions.write',
];

export function issueAuthCode(ctx: SandboxContext, input: Omit<AuthCodeRecord, 'code' | 'expiresAt' | 'used'>): AuthCodeRecord {
  const record: AuthCodeRecord = { ...input, code: newAuthCode(), expiresAt: ctx.now() + AUTH_CODE_TTL_MS, used: false };
  ctx.state.authCodes[record.code] = record;
  return record;
}

export function issueAccessToken(ctx: SandboxContext, refresh: RefreshTokenRecord): AccessTokenRecord {
  const issuedAt = ctx.now();
  const record: AccessTokenRecord = {
    token: newAccessToken(),
    portalId: refresh.portalId,
    userId: refresh.userId,
    scopes: refresh.scopes,
    clientId: refresh.clientId,
    issuedAt,
    expiresAt: issuedAt + ctx.config.accessTokenTtlSeconds * 1000,
    refreshToken: refresh.token,
    revoked: false,
  };
  ctx.state.accessTokens[record.token] = record;
  return record;
}

export function issueTokenPair(
  ctx: SandboxContext,
  grant: { portalId: number; userId: number; scopes: string[] },
): { access: AccessTokenRecord; refresh: RefreshTokenRecord } {
  const refresh: RefreshTokenRecord = {
    token: newRefreshToken(),
    ...grant,
    clientId: ctx.app.clientId,
    issuedAt: ctx.now(),
    revoked: false,
  };
  ctx.state.refreshTokens[refresh.token] = refresh;
  return { access: issueAccessToken(ctx, refresh), refresh };
}

/** Shortcut for tests: install and hand out tokens without the consent screen. */
export function installWithTokens(ctx: SandboxContext, input: { portalId: number; userId?: number; scopes?: string[] }) {
  const portal = requirePortal(ctx, input.portalId);
  const userId = input.userId ?? Number(Object.keys(portal.users)[0]);
  if (!Number.isFinite(userId)) throw new SandboxError(`portal ${input.portalId} has no users to install as`);
  const scopes = input.scopes ?? appScopes(ctx);
  installApp(ctx, input.portalId, userId, scopes);
  const { access, refresh } = issueTokenPair(ctx, { portalId: input.portalId, userId, scopes });
  return { accessToken: access.token, refreshToken: refresh.token, expiresIn: ctx.config.accessTokenTtlSeconds };
}

export function createPrivateAppToken(ctx: SandboxContext, input: { portalId: number; scopes?: string[] }): PrivateAppTokenRecord {
  requirePortal(ctx, input.portalId);
  const record: PrivateAppTokenRecord = {
    token: newPrivateAppToken(),
    portalId: input.portalId,
    // A Private App picks its scopes in HubSpot's UI; `oauth` is not among them (it belongs to OAuth apps).
    scopes: input.scopes ?? appScopes(ctx).filter((s) => s !== 'oauth'),
    createdAt: ctx.now(),
    revoked: false,
    appId: nextId(ctx.state, 'privateApp'),
    clientSecret: randomUUID(),
  };
  ctx.state.privateAppTokens[record.token] = record;
  return record;
}

export function requirePrivateApp(ctx: SandboxContext, token: string): PrivateAppTokenRecord {
  const record = ctx.state.privateAppTokens[token];
  if (!record) throw new SandboxError('no such Private App token', 404);
  return record;
}

/** Forces OAuth access tokens to be expired now (for refresh-path tests). Returns how many were touched. */
export function expireAccessTokens(ctx: SandboxContext, portalId?: number): number {
  let count = 0;
  for (const t of Object.values(ctx.state.accessTokens)) {
    if (portalId !== undefined && t.portalId !== portalId) continue;
    t.expiresAt = Math.min(t.expiresAt, ctx.now() - 1);
    count += 1;
  }
  return count;
}

export type BearerCheck =
  | { ok: true; kind: 'oauth'; portalId: number; scopes: string[]; userId?: number; token: string }
  | { ok: true; kind: 'private-app'; portalId: number; scopes: string[]; token: string }
  | { ok: true; kind: 'app'; portalId: number; scopes: string[]; token: string }
  | { ok: false; reason: 'missing' | 'invalid' | 'expired'; expiredMsAgo?: number };

export function checkBearer(ctx: SandboxContext, header: string | undefined): BearerCheck {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '');
  if (!match?.[1]) return { ok: false, reason: 'missing' };
  const token = match[1];
  const pat = ctx.state.privateAppTokens[token];
  if (pat) {
    if (pat.revoked || !ctx.state.portals[String(pat.portalId)]) return { ok: false, reason: 'invalid' };
    return { ok: true, kind: 'private-app', portalId: pat.portalId, scopes: pat.scopes, token };
  }
  const appToken = ctx.state.appTokens[token];
  if (appToken) {
    if (ctx.now() >= appToken.expiresAt) return { ok: false, reason: 'expired', expiredMsAgo: ctx.now() - appToken.expiresAt };
    // An app token belongs to no portal: 0 stands for "none" (the journal routes accept only this kind).
    return { ok: true, kind: 'app', portalId: 0, scopes: appToken.scopes, token };
  }
  const access = ctx.state.accessTokens[token];
  if (!access || access.revoked || !isInstalled(ctx, access.portalId)) return { ok: false, reason: 'invalid' };
  const now = ctx.now();
  if (now >= access.expiresAt) return { ok: false, reason: 'expired', expiredMsAgo: now - access.expiresAt };
  return { ok: true, kind: 'oauth', portalId: access.portalId, scopes: access.scopes, userId: access.userId, token };
}
