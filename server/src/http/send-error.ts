import type { Context } from 'hono';
import { ConnectFailure } from '../connect/connect-failure';
import type { AppEnv } from '../deps';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { toErrorResponse, type ErrorBody } from '../errors';
import { retryLaterError } from '../failure';
import type { Logger } from '../logger';
import { sendFailurePage } from '../views/pages';

/**
 * app.onError: the one place where a thrown error becomes a response, so routes do not catch.
 * - A Connect flow that ended in a known failure (ConnectFailure) is its error page (views/failures.ts).
 * - A failure a later call will likely not meet (database busy, lost race, HubSpot down or rate-limiting) is a
 *   503, or a 429 with Retry-After, so that HubSpot calls again (failure.ts, retryLaterError).
 * - Everything else is the error body from toErrorResponse, logged: 5xx with the full error (the response hides
 *   it), 4xx as a one-liner since they are the caller's mistakes or attacks, not ours. 501 is a known gap, not a
 *   failure, so it is not logged as an error.
 */
export function sendError(c: Context<AppEnv>, err: unknown, fallbackLogger: Logger): Response | Promise<Response> {
  const logger = c.get('logger') ?? fallbackLogger;
  if (err instanceof ConnectFailure) {
    logger.info({ failure: err.code, err: err.cause }, 'HubSpot connect did not complete');
    const signedIn = (c.var as { adminContext?: unknown }).adminContext != null;
    return sendFailurePage(c, err.code, { signedIn });
  }
  const answer = errorAnswer(err, logger, { method: c.req.method, path: c.req.path });
  for (const [name, value] of Object.entries(answer.headers)) c.header(name, value);
  return c.json(answer.body, answer.status);
}

/** An error as an HTTP answer. */
export interface ErrorAnswer {
  status: ContentfulStatusCode;
  headers: Record<string, string>;
  body: ErrorBody;
}

/**
 * What sendError answers for `err`, logged as described there; for any server, since the webhook intake answers
 * on Node's HTTP directly (http/webhook-listener.ts).
 */
export function errorAnswer(err: unknown, logger: Logger, request: { method: string; path: string }): ErrorAnswer {
  const retryLater = retryLaterError(err);
  // Retry-After in delta-seconds, as HTTP defines it (RFC 9110 §10.2.3). HubSpot does not document how its
  // workflow engine reads it on an action's answer (docs/hubspot-contract.md §3.4), so nothing relies on it:
  // HubSpot retries a 429 on its own schedule either way.
  const headers: Record<string, string> =
    retryLater?.retryAfterMs !== undefined ? { 'Retry-After': String(Math.max(1, Math.ceil(retryLater.retryAfterMs / 1000))) } : {};
  const { status, body } = toErrorResponse(retryLater?.error ?? err);
  const context = { errorCode: body.error.code, status, ...request };
  if (status >= 500 && status !== 501) logger.error({ ...context, err: retryLater?.error ?? err }, body.error.message);
  else logger.info(context, body.error.message);
  return { status, headers, body };
}
