import type { IncomingMessage } from 'node:http';
import type { Context } from 'hono';
import { createMiddleware } from 'hono/factory';
import type { AppDeps, AppEnv } from '../deps';
import { AppError } from '../errors';
import { decodeUtf8Body, readBodyBytes } from './read-body';
import {
  buildPublicUrl,
  checkSignatureV3Headers,
  verifyHubSpotSignatureV2,
  verifyHubSpotSignatureV3,
  type SignatureResult,
} from '../hubspot';

/** What a verified request carries for its handler: the body HubSpot signed, strictly decoded from UTF-8. */
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
 * What can be judged from the headers (a signature at all, a fresh timestamp) is judged before the body is read,
 * so a request that cannot be signed never has its body buffered. The check runs over the bytes received, and
 * only a verified body is decoded (strictly: invalid UTF-8 is a 400, never replaced).
 */
export function verifyHubSpotRequest(deps: AppDeps, options: VerifyOptions) {
  return createMiddleware<VerifiedEnv>(async (c, next) => {
    const secret = deps.config.hubspot?.clientSecret;
    if (!secret) throw new AppError('unavailable', 'HubSpot app credentials are not configured');
    c.set('rawBody', await readSignedBody(deps, c, secret, options));
    await next();
  });
}

/**
 * A request as signature verification sees it, whatever serves it: Hono (every signed route) or Node's HTTP
 * server directly (the webhook intake, http/webhook-listener.ts).
 */
export interface SignedRequest {
  method: string;
  /**
   * The path and query exactly as received (origin form); throws a 400 AppError for a target that has none. A
   * method, read once the headers are judged. Not a getter: an accessor in the object built for each request made
   * every signed request of the app cost 0.06 ms more CPU (a card read 0.17 against 0.12 ms; bench/README.md).
   */
  target(): string;
  header(name: string): string | undefined;
  /** The body's bytes as received; throws the 413/400 AppErrors of an oversized or cut-off body. */
  readBody(): Promise<Uint8Array>;
}

/**
 * The body of a request signed with `secret` (the OAuth app's, or an organization's own Private App's), verified
 * over the bytes received and then strictly decoded; throws the 401/400 AppErrors otherwise.
 */
export async function readSignedBody(deps: Pick<AppDeps, 'config' | 'clock'>, c: Context, secret: string, options: VerifyOptions): Promise<string> {
  return verifySignedRequest(deps, honoSignedRequest(c), secret, options);
}

/** As readSignedBody, for a request from any server. */
export async function verifySignedRequest(deps: Pick<AppDeps, 'config' | 'clock'>, req: SignedRequest, secret: string, options: VerifyOptions): Promise<string> {
  const v3 = req.header('x-hubspot-signature-v3');
  const timestamp = req.header('x-hubspot-request-timestamp') ?? '';
  const v2 = options.allowV2Fallback && req.header('x-hubspot-signature-version')?.toLowerCase() === 'v2';
  if (v3 !== undefined) refuseUnless(checkSignatureV3Headers({ timestamp, signature: v3, now: deps.clock.now() }));
  else if (!v2 || !req.header('x-hubspot-signature')) refuseUnless({ ok: false, reason: 'missing_signature' });

  const url = buildPublicUrl(deps.config.publicBaseUrl, req.target());
  // A GET or HEAD has no body to sign (HubSpot signs the empty string): reading one would only build a whole Web
  // Request around the Node request, which the card's reads otherwise never need.
  const rawBody = req.method === 'GET' || req.method === 'HEAD' ? NO_BODY : await req.readBody();
  refuseUnless(
    v3 !== undefined
      ? verifyHubSpotSignatureV3({ method: req.method, url, rawBody, timestamp, signature: v3, secret, now: deps.clock.now() })
      : verifyHubSpotSignatureV2({ method: req.method, url, rawBody, signature: req.header('x-hubspot-signature') ?? '', secret }),
  );
  return decodeUtf8Body(rawBody);
}

const honoSignedRequest = (c: Context): SignedRequest => ({
  method: c.req.method,
  target: () => requestTarget(c.env, c.req.url),
  header: (name) => c.req.header(name),
  readBody: () => readBodyBytes(c),
});

const NO_BODY = new Uint8Array(0);

function refuseUnless(result: SignatureResult): void {
  if (result.ok) return;
  const stale = result.reason === 'stale_timestamp' || result.reason === 'future_timestamp';
  throw new AppError(stale ? 'stale_timestamp' : 'invalid_signature', signatureMessage(result.reason));
}

/**
 * The path and query exactly as received: with @hono/node-server the raw request target; in-process tests
 * (`app.request`) have no Node request, and their URL is what the test signed. An absolute-form target
 * (`POST http://host/path`, which HTTP/1.1 servers must accept) is reduced to its path and query, as sent; it
 * cannot carry HubSpot's signature anyway, since HubSpot calls PUBLIC_BASE_URL in origin form.
 */
function requestTarget(env: unknown, requestUrl: string): string {
  const incoming = (env as { incoming?: IncomingMessage } | undefined)?.incoming;
  if (incoming?.url) return originForm(incoming.url);
  const url = new URL(requestUrl);
  return url.pathname + url.search;
}

function originForm(target: string): string {
  if (target.startsWith('/')) return target;
  const absolute = /^https?:\/\/[^/?#]*([^#]*)/i.exec(target);
  if (!absolute) throw new AppError('validation_failed', 'The request target must be a path');
  const rest = absolute[1] ?? '';
  return rest.startsWith('/') ? rest : `/${rest}`;
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
