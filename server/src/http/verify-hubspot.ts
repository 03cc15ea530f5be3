import type { IncomingMessage } from 'node:http';
import { createMiddleware } from 'hono/factory';
import type { AppDeps, AppEnv } from '../deps';
import { AppError } from '../errors';
import {
  buildPublicUrl,
  verifyHubSpotSignatureV2,
  verifyHubSpotSignatureV3,
  type SignatureResult,
} from '../hubspot';

/** What a verified request carries for its handler: the exact bytes HubSpot signed. */
export interface VerifiedEnv extends AppEnv {
  Variables: AppEnv['Variables'] & { rawBody: string };
}

export interface VerifyOptions {
  /**
   * Workflow actions are documented as v2-signed (docs/hubspot-contract.md §3.1); whether 2025.2 apps also get v3 is
   * UNVERIFIED, so they verify v3 when present and fall back to v2. Webhooks and card fetches require v3.
   */
  allowV2Fallback: boolean;
}

/**
 * Verifies HubSpot's signature over the raw body and the URL HubSpot called, rebuilt from PUBLIC_BASE_URL
 * (behind a proxy, Host and the scheme are not what HubSpot signed). Anything else is a 401 with a JSON error.
 */
export function verifyHubSpotRequest(deps: AppDeps, options: VerifyOptions) {
  return createMiddleware<VerifiedEnv>(async (c, next) => {
    const secret = deps.config.hubspot?.clientSecret;
    if (!secret) throw new AppError('unavailable', 'HubSpot app credentials are not configured');
    const rawBody = await c.req.text();
    const url = buildPublicUrl(deps.config.publicBaseUrl, requestTarget(c.env, c.req.url));
    const v3 = c.req.header('x-hubspot-signature-v3');
    let result: SignatureResult;
    if (v3 !== undefined) {
      result = verifyHubSpotSignatureV3({
        method: c.req.method,
        url,
        rawBody,
        timestamp: c.req.header('x-hubspot-request-timestamp') ?? '',
        signature: v3,
        secret,
        now: deps.clock.now(),
      });
    } else if (options.allowV2Fallback && c.req.header('x-hubspot-signature-version')?.toLowerCase() === 'v2') {
      result = verifyHubSpotSignatureV2({
        method: c.req.method,
        url,
        rawBody,
        signature: c.req.header('x-hubspot-signature') ?? '',
        secret,
      });
    } else {
      result = { ok: false, reason: 'missing_signature' };
    }
    if (!result.ok) {
      const stale = result.reason === 'stale_timestamp' || result.reason === 'future_timestamp';
      throw new AppError(stale ? 'stale_timestamp' : 'invalid_signature', signatureMessage(result.reason));
    }
    c.set('rawBody', rawBody);
    await next();
  });
}

/**
 * The path and query exactly as received: with @hono/node-server the raw request target; in-process tests
 * (`app.request`) have no Node request, and their URL is what the test signed.
 */
function requestTarget(env: unknown, requestUrl: string): string {
  const incoming = (env as { incoming?: IncomingMessage } | undefined)?.incoming;
  if (incoming?.url) return incoming.url;
  const url = new URL(requestUrl);
  return url.pathname + url.search;
}

function signatureMessage(reason: Exclude<SignatureResult, { ok: true }>['reason']): string {
  switch (reason) {
    case 'missing_signature':
      return 'The request carries no HubSpot signature (X-HubSpot-Signature-v3)';
    case 'missing_timestamp':
      return 'The request carries no X-HubSpot-Request-Timestamp';
    case 'invalid_timestamp':
      return 'X-HubSpot-Request-Timestamp is not a time in milliseconds';
    case 'stale_timestamp':
      return 'The request timestamp is more than 5 minutes old';
    case 'future_timestamp':
      return 'The request timestamp is more than 5 minutes in the future';
    case 'signature_mismatch':
      return 'The HubSpot signature does not match this request';
  }
}
