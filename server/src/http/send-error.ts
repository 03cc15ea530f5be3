import type { Context } from 'hono';
import type { AppEnv } from '../deps';
import { toErrorResponse } from '../errors';
import type { Logger } from '../logger';

/**
 * Answers with the error body from toErrorResponse and logs it: 5xx with the full error (the response hides
 * it), 4xx as a one-liner since they are the caller's mistakes or attacks, not ours. 501 is a known gap, not
 * a failure, so it is not logged as an error.
 */
export function sendError(c: Context<AppEnv>, err: unknown, fallbackLogger: Logger): Response {
  const { status, body } = toErrorResponse(err);
  const logger = c.get('logger') ?? fallbackLogger;
  const context = { errorCode: body.error.code, status, method: c.req.method, path: c.req.path };
  if (status >= 500 && status !== 501) logger.error({ ...context, err }, body.error.message);
  else logger.info(context, body.error.message);
  return c.json(body, status);
}
