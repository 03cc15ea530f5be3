import { Hono } from 'hono';
import type { AppDeps, AppEnv } from '../deps';
import { AppError } from '../errors';
import { limitBody } from '../http/limit-body';
import { decodeUtf8Body, readBodyBytes } from '../http/read-body';
import { readSignedBody } from '../http/verify-hubspot';
import { acceptWebhookBatch } from '../inbox/intake';
import { applyTakeoversNow } from '../inbox/takeover';

const MAX_WEBHOOK_BODY_BYTES = 1024 * 1024;

/** The portals a batch names, without trusting anything else in it (the intake parses it properly). */
function portalsNamed(body: string): number[] {
  try {
    const events: unknown = JSON.parse(body);
    if (!Array.isArray(events)) return [];
    return [...new Set(events.map((e) => Number((e as { portalId?: unknown } | null)?.portalId)))];
  } catch {
    return []; // not JSON: the intake answers its 400
  }
}

/**
 * POST /hubspot/webhooks/legacy/:secret: webhooks from an organization's own Private App. HubSpot signs those with
 * that app's client secret, which OpenCX has only when the admin gave it; so the URL's secret (per organization,
 * rotatable) is what admits a delivery, plus the v3 signature when the client secret is known. A delivery is
 * accepted only for the organization's own portal, on its legacy connection; then it goes through the same intake
 * as the OAuth app's webhooks.
 */
export function legacyWebhookRoutes(deps: AppDeps) {
  return new Hono<AppEnv>().post('/:secret', limitBody(MAX_WEBHOOK_BODY_BYTES), async (c) => {
    const endpoint = await deps.store.legacyWebhooks.findBySecret(c.req.param('secret'));
    if (!endpoint) {
      throw new AppError('invalid_signature', 'This webhook URL is not (or no longer) valid: copy the current one from OpenCX Settings → Integrations → HubSpot');
    }
    const rawBody = endpoint.clientSecret
      ? await readSignedBody(deps, c, endpoint.clientSecret, { allowV2Fallback: false })
      : decodeUtf8Body(await readBodyBytes(c));
    const connection = await deps.store.connections.findByOrganization(endpoint.organizationId);
    if (!connection || connection.status === 'disconnected' || connection.authMode !== 'private_app') {
      throw new AppError('forbidden', 'This organization is not connected through a Private App; its OAuth app sends webhooks to /hubspot/webhooks');
    }
    const others = portalsNamed(rawBody).filter((portalId) => portalId !== connection.portalId);
    if (others.length > 0) {
      throw new AppError('forbidden', `This webhook URL accepts events of portal ${connection.portalId} only (the batch names ${others.join(', ')})`);
    }
    const result = await acceptWebhookBatch(deps, rawBody);
    if (result.stored > 0) deps.signals.wake('inbox');
    await applyTakeoversNow(deps, result.takeovers);
    return c.json({ received: result.received, stored: result.stored });
  });
}
