// HubSpot OAuth endpoint failures, translated in one place (docs/hubspot-contract.md §1.3). Callers branch on `kind`:
// invalid_grant on refresh means "the install is gone, ask the customer to reconnect" (docs/hubspot-contract.md §1.5).
import { clipMessage, redactSecrets } from './redact';

export type HubSpotOAuthErrorKind = 'invalid_grant' | 'invalid_client' | 'bad_redirect_uri' | 'transient' | 'unexpected';

export class HubSpotOAuthError extends Error {
  override readonly name = 'HubSpotOAuthError';
  readonly kind: HubSpotOAuthErrorKind;
  /** HTTP status; 0 when no response arrived (network error, timeout). */
  readonly status: number;
  /** HubSpot's legacy `status` field, e.g. BAD_REFRESH_TOKEN, BAD_AUTH_CODE. */
  readonly hubspotStatus: string | undefined;
  readonly correlationId: string | undefined;

  constructor(init: { kind: HubSpotOAuthErrorKind; status: number; hubspotStatus?: string; correlationId?: string; message: string }) {
    super(init.message);
    this.kind = init.kind;
    this.status = init.status;
    this.hubspotStatus = init.hubspotStatus;
    this.correlationId = init.correlationId;
  }

  get isTransient(): boolean {
    return this.kind === 'transient';
  }

  /** Structured form for logs: never contains a token, code or secret. */
  toJSON() {
    return { name: this.name, kind: this.kind, status: this.status, hubspotStatus: this.hubspotStatus, correlationId: this.correlationId, message: this.message };
  }
}

interface OAuthErrorBody {
  error?: unknown;
  error_description?: unknown;
  status?: unknown;
  message?: unknown;
  correlationId?: unknown;
}

const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

// UNVERIFIED: the legacy status names other than BAD_REFRESH_TOKEN / BAD_AUTH_CODE, seen in the wild
// (docs/hubspot-contract.md §1.3)
const KIND_BY_HUBSPOT_STATUS: Readonly<Record<string, HubSpotOAuthErrorKind>> = {
  BAD_REFRESH_TOKEN: 'invalid_grant',
  BAD_AUTH_CODE: 'invalid_grant',
  EXPIRED_AUTH_CODE: 'invalid_grant',
  BAD_CLIENT_ID: 'invalid_client',
  BAD_CLIENT_SECRET: 'invalid_client',
  BAD_REDIRECT_URI: 'bad_redirect_uri',
};

const KIND_BY_RFC_ERROR: Readonly<Record<string, HubSpotOAuthErrorKind>> = {
  invalid_grant: 'invalid_grant',
  invalid_client: 'invalid_client',
  unauthorized_client: 'invalid_client',
};

function classify(httpStatus: number, rfcError: string | undefined, hubspotStatus: string | undefined): HubSpotOAuthErrorKind {
  if (httpStatus === 429 || httpStatus >= 500) return 'transient';
  // The legacy status is the more specific of the two: a redirect mismatch arrives as RFC `invalid_grant`
  // (RFC 6749 §5.2) but must be reported as a configuration problem, not as a lost install.
  const byStatus = hubspotStatus ? KIND_BY_HUBSPOT_STATUS[hubspotStatus] : undefined;
  if (byStatus) return byStatus;
  const byError = rfcError ? KIND_BY_RFC_ERROR[rfcError] : undefined;
  if (byError) return byError;
  if (httpStatus === 401) return 'invalid_client';
  return 'unexpected';
}

/** Builds the typed error from a non-2xx token-endpoint response. `secrets` are scrubbed from the message. */
export function toOAuthError(
  operation: string,
  httpStatus: number,
  bodyText: string,
  secrets: readonly (string | undefined)[],
): HubSpotOAuthError {
  let body: OAuthErrorBody = {};
  try {
    const parsed: unknown = JSON.parse(bodyText);
    if (parsed && typeof parsed === 'object') body = parsed as OAuthErrorBody;
  } catch {
    // Gateways answer 502/504 with HTML; the status alone classifies those.
  }
  const rfcError = str(body.error);
  const hubspotStatus = str(body.status);
  const detail = str(body.error_description) ?? str(body.message) ?? `HTTP ${httpStatus}`;
  const kind = classify(httpStatus, rfcError, hubspotStatus);
  const label = [rfcError, hubspotStatus].filter(Boolean).join('/');
  return new HubSpotOAuthError({
    kind,
    status: httpStatus,
    hubspotStatus,
    correlationId: str(body.correlationId),
    message: redactSecrets(clipMessage(`HubSpot OAuth ${operation} failed (${httpStatus}${label ? ` ${label}` : ''}): ${detail}`), secrets),
  });
}

/** A call that produced no HTTP response (DNS, refused connection, reset, timeout). */
export function toOAuthNetworkError(operation: string, cause: unknown): HubSpotOAuthError {
  const timedOut = cause instanceof Error && (cause.name === 'TimeoutError' || cause.name === 'AbortError');
  const code = (cause as { cause?: { code?: unknown } } | undefined)?.cause?.code;
  const reason = timedOut ? 'timed out' : `network error${typeof code === 'string' ? ` ${code}` : ''}`;
  // The cause is deliberately not attached: undici errors can carry the request URL, which for v1 metadata calls
  // contains the token.
  return new HubSpotOAuthError({ kind: 'transient', status: 0, message: `HubSpot OAuth ${operation} failed: ${reason}` });
}
