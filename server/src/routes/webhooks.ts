import { Hono, type MiddlewareHandler } from 'hono';
import { toErrorResponse } from '../errors';
import { retryLaterError } from '../failure';
import type { AppDeps } from '../deps';
import { limitBody } from '../http/limit-body';
import { verifyHubSpotRequest, type VerifiedEnv } from '../http/verify-hubspot';
import { acceptWebhookBatch } from '../inbox/intake';
import { applyTakeoversNow } from '../inbox/takeover';

/** A batch is at most 100 events of a few hundred bytes; the app's general limit (1 MB) is plenty. */
const MAX_WEBHOOK_BODY_BYTES = 1024 * 1024;

/**
 * POST /hubspot/webhooks: HubSpot's event batches. v3 signature over PUBLIC_BASE_URL + raw body + timestamp (401
 * otherwise), zod-parsed (400 naming the event and field), stored in the inbox in one statement, deduplicated,
 * then 200. An agent taking a ticket or conversation is applied before the 200 (see applyTakeoversNow), so the
 * AI is paused by the time HubSpot's delivery completes; everything else is left to the inbox worker, woken now.
 */
export function webhookRoutes(deps: AppDeps) {
  // Mounted ahead of the app's global middleware (see app.ts), so the body limit is applied here.
  return new Hono<VerifiedEnv>().post('/', countRefusals(deps), limitBody(MAX_WEBHOOK_BODY_BYTES), verifyHubSpotRequest(deps, { allowV2Fallback: false }), async (c) => {
    const result = await acceptWebhookBatch(deps, c.var.rawBody);
    deps.metrics.webhookEventsReceived.inc(result.received);
    deps.metrics.webhookEventsStored.inc(result.stored);
    if (result.stored > 0) deps.signals.wake('inbox');
    await applyTakeoversNow(deps, result.takeovers);
    return c.json({ received: result.received, stored: result.stored });
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
