// HubSpot request signatures (docs/hubspot-contract.md §2.2–2.4), verified as pure functions over the raw body:
// no clock, no env, no I/O. Callers pass `now` and the URL rebuilt with `buildPublicUrl`.
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

export type SignatureFailureReason =
  | 'missing_signature'
  | 'missing_timestamp'
  | 'invalid_timestamp'
  | 'stale_timestamp'
  | 'future_timestamp'
  | 'signature_mismatch';

export type SignatureResult<R extends SignatureFailureReason = SignatureFailureReason> =
  | { ok: true }
  | { ok: false; reason: R };

/** The body exactly as received: bytes (`readBodyBytes`), or a string that is sent as its UTF-8 encoding. */
export type RawBody = string | Uint8Array;

export interface VerifyV3Input {
  method: string;
  /** Full public URL HubSpot called (see buildPublicUrl), query string as sent. */
  url: string;
  rawBody: RawBody;
  /** `X-HubSpot-Request-Timestamp`: Unix epoch milliseconds. */
  timestamp: string | undefined | null;
  /** `X-HubSpot-Signature-v3`: base64. */
  signature: string | undefined | null;
  secret: string;
  /** Current time, epoch ms. */
  now: number;
  maxAgeMs?: number;
}

export const DEFAULT_SIGNATURE_MAX_AGE_MS = 300_000;

// Only these escapes are decoded before signing; every other %XX stays as sent (docs/hubspot-contract.md §2.4 table). The table lists
// uppercase hex; matching is case-insensitive because percent-encoding is case-insensitive (RFC 3986 §2.1).
// UNVERIFIED: whether HubSpot itself ever emits lowercase escapes (docs/hubspot-contract.md §2.4)
const V3_DECODED: Readonly<Record<string, string>> = {
  '%3A': ':', '%2F': '/', '%3F': '?', '%40': '@', '%21': '!', '%24': '$',
  '%27': "'", '%28': '(', '%29': ')', '%2A': '*', '%2C': ',', '%3B': ';',
};
const V3_ESCAPES = /%(3A|2F|3F|40|21|24|27|28|29|2A|2C|3B)/gi;

export function decodeUrlForSignatureV3(url: string): string {
  return url.replace(V3_ESCAPES, (escape) => V3_DECODED[escape.toUpperCase()] ?? escape);
}

export type VerifyV3Headers = Pick<VerifyV3Input, 'timestamp' | 'signature' | 'now' | 'maxAgeMs'>;

/**
 * The part of the v3 check that needs no body: a signature and a fresh timestamp. A request failing it cannot be
 * signed whatever its body holds, so callers refuse it before reading (and buffering) the body.
 */
export function checkSignatureV3Headers(input: VerifyV3Headers): SignatureResult {
  const { timestamp, signature, now } = input;
  const maxAgeMs = input.maxAgeMs ?? DEFAULT_SIGNATURE_MAX_AGE_MS;
  if (!signature) return { ok: false, reason: 'missing_signature' };
  if (!timestamp) return { ok: false, reason: 'missing_timestamp' };
  // Digits only: Number() would also accept "1e12", " 12", "0x1F", which HubSpot never sends.
  if (!/^\d{1,16}$/.test(timestamp)) return { ok: false, reason: 'invalid_timestamp' };
  const sentAt = Number(timestamp);
  if (now - sentAt > maxAgeMs) return { ok: false, reason: 'stale_timestamp' };
  // HubSpot only rejects old timestamps; we also reject ones from the future, because a captured request with a
  // timestamp of now+1h would stay replayable for 1h05 instead of 5 minutes. The same window absorbs clock skew.
  if (sentAt - now > maxAgeMs) return { ok: false, reason: 'future_timestamp' };
  return { ok: true };
}

export function verifyHubSpotSignatureV3(input: VerifyV3Input): SignatureResult {
  const { method, url, rawBody, timestamp, signature, secret } = input;
  const headers = checkSignatureV3Headers(input);
  if (!headers.ok) return headers;

  const hmac = createHmac('sha256', secret);
  hmac.update(method.toUpperCase() + decodeUrlForSignatureV3(url), 'utf8');
  updateWithBody(hmac, rawBody);
  // Both are present once the headers passed (checkSignatureV3Headers).
  hmac.update(timestamp ?? '', 'utf8');
  return compareSignatures(hmac.digest('base64'), signature ?? '');
}

export interface VerifyV2Input {
  method: string;
  /** Full public URL exactly as HubSpot called it, query parameters in the order sent; not decoded (docs/hubspot-contract.md §2.3). */
  url: string;
  rawBody: RawBody;
  signature: string | undefined | null;
  secret: string;
}

/** v2 (workflow actions, classic cards): hex(sha256(secret + method + url + body)). */
export function verifyHubSpotSignatureV2(input: VerifyV2Input): SignatureResult<'missing_signature' | 'signature_mismatch'> {
  const { method, url, rawBody, signature, secret } = input;
  if (!signature) return { ok: false, reason: 'missing_signature' };
  const hash = createHash('sha256');
  hash.update(secret + method.toUpperCase() + url, 'utf8');
  updateWithBody(hash, rawBody);
  // Hex case carries no information; HubSpot sends lowercase, normalising avoids a false mismatch.
  return compareSignatures(hash.digest('hex'), signature.toLowerCase());
}

export interface VerifyV1Input {
  rawBody: RawBody;
  signature: string | undefined | null;
  secret: string;
}

/** v1 (webhook batches): hex(sha256(secret + body)). Binds neither URL nor time: prefer v3 when sent. */
export function verifyHubSpotSignatureV1(input: VerifyV1Input): SignatureResult<'missing_signature' | 'signature_mismatch'> {
  const { rawBody, signature, secret } = input;
  if (!signature) return { ok: false, reason: 'missing_signature' };
  const hash = createHash('sha256');
  hash.update(secret, 'utf8');
  updateWithBody(hash, rawBody);
  return compareSignatures(hash.digest('hex'), signature.toLowerCase());
}

function updateWithBody(target: { update(data: string | Uint8Array, encoding?: 'utf8'): unknown }, rawBody: RawBody): void {
  // Bytes are hashed as received, so a body that is not valid UTF-8 is not silently altered by a decode.
  if (typeof rawBody === 'string') target.update(rawBody, 'utf8');
  else target.update(rawBody);
}

function compareSignatures(expected: string, provided: string): SignatureResult<'signature_mismatch'> {
  const a = Buffer.from(expected, 'utf8');
  const b = Buffer.from(provided, 'utf8');
  // The expected length is public (44 base64 / 64 hex chars for every request), so checking it first reveals
  // nothing secret. The dummy comparison keeps the mismatch path's work similar to the equal-length path.
  if (a.length !== b.length) {
    timingSafeEqual(a, a);
    return { ok: false, reason: 'signature_mismatch' };
  }
  return timingSafeEqual(a, b) ? { ok: true } : { ok: false, reason: 'signature_mismatch' };
}

/**
 * Rebuilds the URL HubSpot called from the configured public base URL (PUBLIC_BASE_URL) and the raw request
 * target (path + query as sent on the request line). Never derive it from Host / X-Forwarded-* headers: an
 * attacker controls those, and a proxy rewrites them. No URL parser touches the query: re-encoding would change
 * the signed bytes.
 */
export function buildPublicUrl(publicBaseUrl: string, pathWithQuery: string): string {
  if (!/^https?:\/\/[^/?#]+/i.test(publicBaseUrl) || /[?#]/.test(publicBaseUrl)) {
    throw new TypeError('publicBaseUrl must be an absolute http(s) URL without query or fragment');
  }
  if (!pathWithQuery.startsWith('/')) {
    throw new TypeError('pathWithQuery must be an origin-form request target starting with "/"');
  }
  return publicBaseUrl.replace(/\/+$/, '') + pathWithQuery;
}
