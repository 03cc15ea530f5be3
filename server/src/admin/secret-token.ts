import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * Bearer secrets of the admin side (sign-in links, session cookies, OAuth state nonces, marketplace claims):
 * 256 random bits, base64url. Only their SHA-256 is ever stored, so a database leak hands out no usable secret.
 */
export function createSecretToken(): string {
  return randomBytes(32).toString('base64url');
}

/** SHA-256, hex: what the store keeps instead of the token. Unsalted is fine for 256-bit random tokens. */
export function hashSecretToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

export function hmacBase64Url(key: Buffer | string, text: string): string {
  return createHmac('sha256', key).update(text, 'utf8').digest('base64url');
}

/** Constant-time string comparison; different lengths are simply unequal. */
export function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a, 'utf8');
  const y = Buffer.from(b, 'utf8');
  return x.length === y.length && timingSafeEqual(x, y);
}

/** A plausible token: what createSecretToken makes (43 base64url characters), to refuse junk before any lookup. */
export function looksLikeSecretToken(value: string | undefined): value is string {
  return typeof value === 'string' && /^[A-Za-z0-9_-]{43}$/.test(value);
}
