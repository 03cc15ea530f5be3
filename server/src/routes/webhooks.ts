import { Hono, type MiddlewareHandler } from 'hono';
import { toErrorResponse } from '../errors';
import { retryLaterError } from '../failure';
import type { AppDeps } from '../deps';
import { limitBody } from '../http/limit-body';
import { verifyHubSpotRequest, type VerifiedEnv } from '../http/verify-hubspot';
import { receiveWebhookBatch } from '../inbox/intake';

/** Where HubSpot delivers the OAuth app's webhooks (hubspot-project/app/webhooks/webhooks-hsmeta.json). */
export const WEBHOOK_PATH = '/hubspot/webhooks';

/** A batch is at most 100 events of a few hundred bytes; the app's general limit (1 MB) is plenty. */
export const MAX_WEBHOOK_BODY_BYTES = 1024 * 1024;

/**
 * POST /hubspot/webhooks: HubSpot's event batches. v3 signature over PUBLIC_BASE_URL + raw body + timestamp (401
 * otherwise), zod-parsed (400 naming the event and field), stored in the inbox in one statement, deduplicated,
 * then 200. An agent taking a ticket or conversation is applied before the 200 (see applyTakeoversNow), so the
 * AI is paused by the time HubSpot's delivery completes; everything else is left to the inbox worker, woken now.
 *
 * The running server answers these on Node's HTTP directly (http/webhook-listener.ts, the same steps without the
 * Web Request/Response adapter); this route serves the rest: in-process requests (`app.request`) and request
 * forms the listener leaves to the app.
 */
export function webhookRoutes(deps: AppDeps) {
  // Mounted ahead of the app's global middleware (see app.ts), so the body limit is applied here.
  return new Hono<VerifiedEnv>().post('/', countRefusals(deps), limitBody(MAX_WEBHOOK_BODY_BYTES), verifyHubSpotRequest(deps, { allowV2Fallback: false }), async (c) => {
    return c.json(await receiveWebhookBatch(deps, c.var.rawBody));
  });
}

/** Counts deliveries answered with an error, by the code send-error.ts answers with. */
function countRefusals(deps: Pick<AppDeps, 'metrics'>): MiddlewareHandler {
  return async (c, next) => {
    await next();
    if (c.res.status < 400) return;
    const err = c.error ? (retryLaterError(c.error)?.error ?? c.error) : null;
    deps.metrics.webhookRequestsRefused.inc({ reason: err ? toErrorResponse(err).body.error.code : `http_${c.res.status}` });
  };
}
