import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { z } from 'zod';

/**
 * The closed list of error codes the API answers with, and the HTTP status of each. Clients (the CRM card,
 * HubSpot's workflow engine, the settings page) branch on `code`, so codes are stable: add new ones, never
 * rename. HubSpot retries workflow actions and webhooks on 429 and 5xx only, which is why the statuses matter.
 */
export const ERROR_STATUS = {
  validation_failed: 400,
  invalid_json: 400,
  unauthenticated: 401,
  invalid_signature: 401,
  stale_timestamp: 401,
  forbidden: 403,
  /** The portal is connected through a Private App, and the feature (e.g. workflow actions) is OAuth-only. */
  not_oauth: 403,
  not_found: 404,
  unknown_portal: 404,
  conflict: 409,
  /** Someone else changed the record between our read and our write; retrying the request is safe. */
  version_conflict: 409,
  /** The HubSpot connection lost its grant; an admin has to reconnect before this can work. */
  reconnect_required: 409,
  /** The client hung up (or was cut by the request timeout) before its body was complete: nobody to answer. */
  request_aborted: 400,
  payload_too_large: 413,
  rate_limited: 429,
  internal: 500,
  not_implemented: 501,
  /** HubSpot (or the AI service) failed in a way we could not recover from. */
  upstream_failed: 502,
  unavailable: 503,
} as const satisfies Record<string, ContentfulStatusCode>;

export type ErrorCode = keyof typeof ERROR_STATUS;

export interface ErrorBody {
  error: { code: ErrorCode; message: string };
}

/**
 * An error meant for the caller. `message` is sent as is, so it must hold neither secrets nor internals;
 * put those in `cause`, which is only logged.
 */
export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'AppError';
  }

  get status(): ContentfulStatusCode {
    return ERROR_STATUS[this.code];
  }
}

// Hono raises these itself (e.g. from its validators); translate the statuses we can name, hide the rest.
const HTTP_EXCEPTION_CODES: Partial<Record<number, ErrorCode>> = {
  400: 'validation_failed',
  401: 'unauthenticated',
  403: 'forbidden',
  404: 'not_found',
  413: 'payload_too_large',
  429: 'rate_limited',
};

const INTERNAL_MESSAGE = 'Internal server error';

/**
 * The one mapping from anything thrown to the HTTP status and body the caller sees. Used by app.onError and
 * notFound; everything else throws. Unknown errors become a bare 500 so that stack traces, SQL and tokens never
 * reach a response.
 */
export function toErrorResponse(err: unknown): { status: ContentfulStatusCode; body: ErrorBody } {
  if (err instanceof AppError) return respond(err.code, err.message);
  if (err instanceof z.core.$ZodError) return respond('validation_failed', describeZodIssues(err.issues));
  if (err instanceof HTTPException) {
    const code = HTTP_EXCEPTION_CODES[err.status];
    if (code) return respond(code, err.message || defaultMessage(code));
  }
  return respond('internal', INTERNAL_MESSAGE);
}

function respond(code: ErrorCode, message: string): { status: ContentfulStatusCode; body: ErrorBody } {
  return { status: ERROR_STATUS[code], body: { error: { code, message } } };
}

/** Names the field path of each issue ("ticketId: expected string"), since the caller needs to know what to fix. */
export function describeZodIssues(issues: readonly z.core.$ZodIssue[]): string {
  const shown = issues.slice(0, 5).map((issue) => {
    const path = issue.path.length > 0 ? issue.path.map(String).join('.') : '(body)';
    return `${path}: ${issue.message}`;
  });
  const more = issues.length > shown.length ? `; and ${issues.length - shown.length} more` : '';
  return shown.join('; ') + more;
}

function defaultMessage(code: ErrorCode): string {
  return code.replace(/_/g, ' ');
}
