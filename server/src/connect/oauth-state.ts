import type { AppDeps } from '../deps';
import { createSecretToken, hashSecretToken, hmacBase64Url, safeEqual } from '../admin/secret-token';
import type { AdminContext } from '../admin/admin-session';

/** From the click on Connect to the return from HubSpot's consent screen. */
export const STATE_TTL_MS = 10 * 60_000;
const KEY_NAME = 'oauth_state_signing';

type Deps = Pick<AppDeps, 'store' | 'clock' | 'oauthStateKey'>;

export interface StatePayload {
  nonce: string;
  organizationId: string;
  expiresAt: number;
}

export type StateCheck =
  | { ok: true; nonceHash: string; organizationId: string }
  | { ok: false; reason: 'invalid' | 'expired' };

/**
 * The OAuth `state`: `<payload>.<HMAC-SHA256 of payload>`, both base64url. The payload names the organization and
 * the expiry; the random nonce is what the database remembers (hashed) to make the state single-use and to bind it
 * to the admin's session. The signature lets a forged or altered state be refused before any lookup.
 */
export async function createOAuthState(deps: Deps, context: AdminContext): Promise<string> {
  const now = deps.clock.now();
  const payload: StatePayload = { nonce: createSecretToken(), organizationId: context.organization.id, expiresAt: now + STATE_TTL_MS };
  await deps.store.oauthStates.save(
    {
      nonceHash: hashSecretToken(payload.nonce),
      organizationId: payload.organizationId,
      adminId: context.admin.id,
      sessionHash: context.sessionHash,
      expiresAt: payload.expiresAt,
    },
    now,
  );
  const encoded = Buffer.from(JSON.stringify(payload), 'utf8').toString('base64url');
  return `${encoded}.${hmacBase64Url(await deps.oauthStateKey(), encoded)}`;
}

/** Checks the signature and expiry only; single use and the session binding are checked against the store. */
export async function verifyOAuthState(deps: Deps, state: string): Promise<StateCheck> {
  const match = /^([A-Za-z0-9_-]{1,1024})\.([A-Za-z0-9_-]{43})$/.exec(state);
  if (!match) return { ok: false, reason: 'invalid' };
  const [, encoded, signature] = match as unknown as [string, string, string];
  if (!safeEqual(hmacBase64Url(await deps.oauthStateKey(), encoded), signature)) return { ok: false, reason: 'invalid' };
  const payload = parsePayload(encoded);
  if (!payload) return { ok: false, reason: 'invalid' };
  if (payload.expiresAt <= deps.clock.now()) return { ok: false, reason: 'expired' };
  return { ok: true, nonceHash: hashSecretToken(payload.nonce), organizationId: payload.organizationId };
}

function parsePayload(encoded: string): StatePayload | null {
  try {
    const value = JSON.parse(Buffer.from(encoded, 'base64url').toString('utf8')) as Partial<StatePayload>;
    if (typeof value.nonce !== 'string' || typeof value.organizationId !== 'string' || typeof value.expiresAt !== 'number') return null;
    return { nonce: value.nonce, organizationId: value.organizationId, expiresAt: value.expiresAt };
  } catch {
    return null;
  }
}

/** One key per database (all server processes agree), read once per server (createServices). */
export function createOAuthStateKey(deps: Pick<AppDeps, 'store' | 'clock'>): () => Promise<Buffer> {
  let key: Promise<Buffer> | null = null;
  return () => {
    if (!key) {
      const reading = deps.store.appSecrets.getOrCreateKey(KEY_NAME, deps.clock.now());
      key = reading;
      reading.catch(() => {
        if (key === reading) key = null;
      });
    }
    return key;
  };
}
