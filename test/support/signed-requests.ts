// Requests signed as HubSpot signs them (v3: HMAC over method, URL, body and timestamp), built with the sandbox's
// own signer, which is written independently of the server's verifier. For tests that send HubSpot's requests
// themselves: bursts, replays, stale or future timestamps, two servers behind one public URL.
import { signV3 } from '../sandbox/signing';

export interface SignOptions {
  secret: string;
  method?: string;
  /** The URL HubSpot called: PUBLIC_BASE_URL + path (+ query). What the signature covers. */
  signedUrl: string;
  /** Sent as is; a string is sent as UTF-8. */
  body?: string | Uint8Array;
  /** What the signature covers, when it is not the body sent (a forgery); default the body. */
  signedBody?: string | Uint8Array;
  /** Epoch ms; default now. */
  timestamp?: number;
}

export function v3Headers({ secret, method = 'POST', signedUrl, body = '', signedBody = body, timestamp = Date.now() }: SignOptions): Record<string, string> {
  return {
    'X-HubSpot-Signature-v3': signV3(secret, method, signedUrl, signedBody, timestamp),
    'X-HubSpot-Request-Timestamp': String(timestamp),
  };
}

/**
 * Sends a signed request to `sendTo` (a server's own address) while signing `signedUrl` (the public URL HubSpot
 * would have called): the server rebuilds the signed URL from PUBLIC_BASE_URL and the request path.
 */
export async function sendSigned(sendTo: string, options: SignOptions & { contentType?: string }): Promise<Response> {
  const method = options.method ?? 'POST';
  const body = options.body ?? '';
  return fetch(sendTo, {
    method,
    headers: { 'Content-Type': options.contentType ?? 'application/json', ...v3Headers({ ...options, method, body }) },
    ...(method === 'GET' || method === 'HEAD' ? {} : { body: typeof body === 'string' ? body : new Uint8Array(body) }),
  });
}

/** Runs `work` over `items` with at most `limit` in flight; results in item order. */
export async function mapConcurrent<T, R>(items: readonly T[], limit: number, work: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const lanes = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index]!, index);
    }
  });
  await Promise.all(lanes);
  return results;
}
