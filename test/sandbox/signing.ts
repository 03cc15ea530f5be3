// HubSpot's request signatures, written from the published algorithms (docs/hubspot-contract.md §2.2–2.4) and kept
// independent of the server's verifier so the two cross-check each other in tests.
import { createHash, createHmac } from 'node:crypto';

/** v1 (webhooks): hex(sha256(clientSecret + body)). */
export function signV1(clientSecret: string, body: string): string {
  return createHash('sha256').update(clientSecret + body, 'utf8').digest('hex');
}

/** v2 (workflow actions, classic cards): hex(sha256(clientSecret + method + uri + body)); body omitted when empty. */
export function signV2(clientSecret: string, method: string, url: string, body = ''): string {
  return createHash('sha256').update(clientSecret + method.toUpperCase() + url + body, 'utf8').digest('hex');
}

// Only these escapes are decoded before v3 signing (validating-requests page table); everything else stays encoded.
const V3_DECODED: Record<string, string> = {
  '%3A': ':', '%2F': '/', '%3F': '?', '%40': '@', '%21': '!', '%24': '$',
  '%27': "'", '%28': '(', '%29': ')', '%2A': '*', '%2C': ',', '%3B': ';',
};

export function decodeUriForV3(url: string): string {
  return url.replace(/%(3A|2F|3F|40|21|24|27|28|29|2A|2C|3B)/gi, (m) => V3_DECODED[m.toUpperCase()] ?? m);
}

/**
 * v3: base64(HMAC_SHA256(clientSecret, method + decodedUri + body + timestamp)), timestamp in epoch ms. The body
 * is signed as the bytes sent: a string is sent (and signed) as UTF-8.
 */
export function signV3(clientSecret: string, method: string, url: string, body: string | Uint8Array, timestamp: number | string): string {
  return createHmac('sha256', clientSecret)
    .update(method.toUpperCase() + decodeUriForV3(url), 'utf8')
    .update(typeof body === 'string' ? Buffer.from(body, 'utf8') : body)
    .update(String(timestamp), 'utf8')
    .digest('base64');
}

export type SignatureKind = 'v1' | 'v2';

/**
 * The headers HubSpot puts on an outbound request: the legacy `X-HubSpot-Signature` of `legacy` version plus
 * the v3 pair (sent to OAuth apps alongside the legacy one, docs/hubspot-contract.md §2.1).
 */
export function signatureHeaders(input: {
  clientSecret: string;
  method: string;
  url: string;
  body: string;
  timestamp: number;
  legacy: SignatureKind;
}): Record<string, string> {
  const { clientSecret, method, url, body, timestamp, legacy } = input;
  const legacySignature = legacy === 'v1' ? signV1(clientSecret, body) : signV2(clientSecret, method, url, body);
  return {
    'X-HubSpot-Signature': legacySignature,
    'X-HubSpot-Signature-Version': legacy,
    'X-HubSpot-Signature-v3': signV3(clientSecret, method, url, body, timestamp),
    'X-HubSpot-Request-Timestamp': String(timestamp),
  };
}
