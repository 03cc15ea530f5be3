// Automation v4 callback completion (hubspot-runtime.md §3.3, SDK CallbacksApi): 204 on success.
import { Hono } from 'hono';
import { requireScope, portalOf, type ApiEnv } from './api-guard';
import type { SandboxContext } from './context';
import { hsError, validationError } from './hs-errors';
import { isObject, readJsonObject } from './request-utils';
import { completeCallback } from './workflow-actions';

// ASSUMPTION (UNVERIFIED): unknown, expired or already-completed callbacks answer 404 OBJECT_NOT_FOUND. source: hubspot-runtime.md §3.3
const callbackNotFound = (c: Parameters<typeof hsError>[0], ids: string[]) =>
  hsError(c, 404, 'OBJECT_NOT_FOUND', `No pending action execution for callbackId ${ids.join(', ')}`, { context: { callbackId: ids } });

export function automationRoutes(ctx: SandboxContext): Hono<ApiEnv> {
  const r = new Hono<ApiEnv>();
  const isPending = (portalId: number, callbackId: string) =>
    ctx.state.actionExecutions.some((e) => e.portalId === portalId && e.callbackId === callbackId && (e.status === 'blocked' || e.status === 'pending'));

  r.post('/automation/v4/actions/callbacks/complete', requireScope('automation'), async (c) => {
    const body = await readJsonObject(c);
    if (body instanceof Response) return body;
    const inputs = body['inputs'];
    if (!Array.isArray(inputs) || inputs.some((i) => !isObject(i) || typeof i['callbackId'] !== 'string' || !isObject(i['outputFields']))) {
      return validationError(c, 'inputs must be a list of {callbackId, outputFields}');
    }
    const portalId = portalOf(c);
    const items = inputs as { callbackId: string; outputFields: Record<string, unknown> }[];
    const missing = items.filter((i) => !isPending(portalId, i.callbackId)).map((i) => i.callbackId);
    if (missing.length > 0) return callbackNotFound(c, missing);
    for (const item of items) completeCallback(ctx, portalId, item.callbackId, item.outputFields);
    return c.body(null, 204);
  });

  r.post('/automation/v4/actions/callbacks/:callbackId/complete', requireScope('automation'), async (c) => {
    const body = await readJsonObject(c);
    if (body instanceof Response) return body;
    if (!isObject(body['outputFields'])) return validationError(c, 'outputFields is required');
    const callbackId = c.req.param('callbackId');
    if (!completeCallback(ctx, portalOf(c), callbackId, body['outputFields'])) return callbackNotFound(c, [callbackId]);
    return c.body(null, 204);
  });
  return r;
}
