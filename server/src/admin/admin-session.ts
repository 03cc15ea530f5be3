import type { Organization } from '@opencx/shared';
import type { Context, MiddlewareHandler } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import type { Config } from '../config';
import type { AppDeps, AppEnv } from '../deps';
import type { Admin } from '../store/admins.store';
import { createSecretToken, hashSecretToken, hmacBase64Url, looksLikeSecretToken } from './secret-token';

export const SESSION_TTL_MS = 12 * 60 * 60_000;

/** The signed-in admin of a request: loaded from the session cookie, never from anything else the browser sends. */
export interface AdminContext {
  admin: Admin;
  organization: Organization;
  /** SHA-256 of the session token: what OAuth states and portal-change confirmations are bound to. */
  sessionHash: string;
  /** The CSRF token every form of this session carries (derived from the session token, see csrfTokenFor). */
  csrfToken: string;
}

export interface AdminEnv extends AppEnv {
  Variables: AppEnv['Variables'] & { adminContext: AdminContext | null };
}

type Deps = Pick<AppDeps, 'config' | 'store' | 'clock'>;

/** Cookies are Secure behind https; `__Host-` then also pins them to this host and path `/`. */
export const isSecureOrigin = (config: Pick<Config, 'publicBaseUrl'>) => config.publicBaseUrl.startsWith('https:');
export const sessionCookieName = (config: Pick<Config, 'publicBaseUrl'>) => (isSecureOrigin(config) ? '__Host-opencx_admin' : 'opencx_admin');

/** httpOnly (no script reads it), SameSite=Lax (sent on HubSpot's redirect back, a top-level GET; not on cross-site POSTs). */
export function cookieOptions(config: Pick<Config, 'publicBaseUrl'>, maxAgeMs: number) {
  return { httpOnly: true, sameSite: 'Lax' as const, secure: isSecureOrigin(config), path: '/', maxAge: Math.floor(maxAgeMs / 1000) };
}

/**
 * A form token only this session can produce: an HMAC keyed by the session token, which lives in an httpOnly
 * cookie. Nothing to store, and it changes with every sign-in.
 */
export function csrfTokenFor(sessionToken: string): string {
  return hmacBase64Url(sessionToken, 'opencx-admin-csrf-v1');
}

/** Reads the session cookie and sets `adminContext` (null when not signed in). Never refuses by itself. */
export function loadAdminSession(deps: Deps): MiddlewareHandler<AdminEnv> {
  return async (c, next) => {
    c.set('adminContext', await resolveSession(c, deps));
    await next();
  };
}

async function resolveSession(c: Context, deps: Deps): Promise<AdminContext | null> {
  const token = getCookie(c, sessionCookieName(deps.config));
  if (!looksLikeSecretToken(token)) return null;
  const sessionHash = hashSecretToken(token);
  const found = await deps.store.admins.findSession(sessionHash, deps.clock.now());
  if (!found) return null;
  const organization = await deps.store.organizations.get(found.admin.organizationId);
  if (!organization) return null;
  return { admin: found.admin, organization, sessionHash, csrfToken: csrfTokenFor(token) };
}

/** Signs the admin in on this browser: a fresh session (never one the browser brought along) and its cookie. */
export async function startSession(c: Context, deps: Deps, admin: Admin): Promise<void> {
  const previous = getCookie(c, sessionCookieName(deps.config));
  if (looksLikeSecretToken(previous)) await deps.store.admins.deleteSession(hashSecretToken(previous));
  const token = createSecretToken();
  const now = deps.clock.now();
  await deps.store.admins.createSession({ tokenHash: hashSecretToken(token), adminId: admin.id, expiresAt: now + SESSION_TTL_MS }, now);
  setCookie(c, sessionCookieName(deps.config), token, cookieOptions(deps.config, SESSION_TTL_MS));
}

export async function endSession(c: Context, deps: Deps): Promise<void> {
  const token = getCookie(c, sessionCookieName(deps.config));
  if (looksLikeSecretToken(token)) await deps.store.admins.deleteSession(hashSecretToken(token));
  deleteCookie(c, sessionCookieName(deps.config), { path: '/', secure: isSecureOrigin(deps.config) });
}
