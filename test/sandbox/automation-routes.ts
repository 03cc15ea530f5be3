// Automation v4 callback completion (docs/hubspot-contract.md §3.3, SDK CallbacksApi): 204 on success.
import { Hono } from 'hono';
import { portalOf, type ApiEnv } from './api-guard';
import { pathParam, serve } from './contract/route';
import type { SandboxContext } from './context';
import { hsError, validationError } from './hs-errors';
import { isObject, readJsonObject } from './request-utils';
import { completeCallback } from './workflow-actions';

// ASSUMPTION (UNVERIFIED): unknown, expired or already-completed callbacks answer 404 OBJECT_NOT_FOUND. source: docs/hubspot-contract.md §3.3
const callbackNotFound = (c: Parameters<typeof hsError>[0], ids: string[]) =>
  hsError(c, 404, 'OBJECT_NOT_FOUND', `No pending action execution for callbackId ${ids.join(', ')}`, { context: { callbackId: ids } });

// CallbackCompletionRequest in the Actions V4 spec: `outputFields` (string values) and `typedOutputs` are both required.
function completionProblem(body: Record<string, unknown>): string | undefined {
  const outputs = body['outputFields'];
  if (!isObject(outputs)) return 'outputFields is required and must be an object';
  const notText = Object.entries(outputs).filter(([, v]) => typeof v !== 'string').map(([k]) => k);
  if (notText.length > 0) return `outputFields values must be strings (${notText.join(', ')})`;
  if (!isObject(body['typedOutputs'])) return 'typedOutputs is required and must be an object';
  return undefined;
}

export function automationRoutes(ctx: SandboxContext): Hono<ApiEnv> {
  const r = new Hono<ApiEnv>();
  const isPending = (portalId: number, callbackId: string) =>
    ctx.state.actionExecutions.some((e) => e.portalId === portalId && e.callbackId === callbackId && (e.status === 'blocked' || e.status === 'pending'));

  serve(r, ctx, 'callbacks.completeBatch', async (c) => {
    const body = await readJsonObject(c);
    if (body instanceof Response) return body;
    const inputs = body['inputs'];
    if (!Array.isArray(inputs) || inputs.some((i) => !isObject(i) || typeof i['callbackId'] !== 'string' || completionProblem(i as Record<string, unknown>))) {
      return validationError(c, 'inputs must be a list of {callbackId, outputFields, typedOutputs}');
    }
    const portalId = portalOf(c);
    const items = inputs as { callbackId: string; outputFields: Record<string, unknown> }[];
    const missing = items.filter((i) => !isPending(portalId, i.callbackId)).map((i) => i.callbackId);
    if (missing.length > 0) return callbackNotFound(c, missing);
    for (const item of items) completeCallback(ctx, portalId, item.callbackId, item.outputFields);
    return c.body(null, 204);
  });

  serve(r, ctx, 'callbacks.complete', async (c) => {
    const body = await readJsonObject(c);
    if (body instanceof Response) return body;
    const problem = completionProblem(body);
    if (problem) return validationError(c, problem);
    const callbackId = pathParam(c, 'callbackId');
    if (!completeCallback(ctx, portalOf(c), callbackId, body['outputFields'] as Record<string, unknown>)) return callbackNotFound(c, [callbackId]);
    return c.body(null, 204);
  });
  return r;
}
