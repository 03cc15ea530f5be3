import { WORKFLOW_ACTION_NAMES } from '@opencx/shared';
import { Hono } from 'hono';
import { executeWorkflowAction } from '../actions/execute-action';
import type { ServerResponse } from 'node:http';
import type { AppDeps } from '../deps';
import { verifyHubSpotRequest, type VerifiedEnv } from '../http/verify-hubspot';

/**
 * Mounted at /hubspot/actions: one route per workflow action (shared WORKFLOW_ACTIONS). Signed by HubSpot (v3
 * when present, else v2); the answer is `{ outputFields }` (see docs/workflow-actions.md). Transient failures
 * throw: app.onError answers 503, or 429 with Retry-After, so that HubSpot calls again; nothing is recorded for them.
 */
export function actionRoutes(deps: AppDeps) {
  const routes = new Hono<VerifiedEnv>();
  const verified = verifyHubSpotRequest(deps, { allowV2Fallback: true });
  for (const action of WORKFLOW_ACTION_NAMES) {
    routes.post(`/${action}`, verified, async (c) => {
      const answer = await executeWorkflowAction(deps, action, c.var.rawBody);
      if (answer.outputFields['hs_execution_state'] === 'BLOCK') afterResponse(c.env, () => deps.signals.wake('callbackCompletions'));
      return c.json(answer);
    });
  }
  return routes;
}

/**
 * Completing a callback before HubSpot has our BLOCK answer could find the execution not yet blocked (UNVERIFIED
 * how HubSpot answers then; the completions worker stops on 404). So the nudge waits until the answer has been
 * written out; in-process tests (`app.request`) have no Node response and get the next macrotask instead.
 */
function afterResponse(env: unknown, run: () => void): void {
  const outgoing = (env as { outgoing?: ServerResponse } | undefined)?.outgoing;
  if (outgoing) outgoing.once('finish', run);
  else setTimeout(run, 0);
}
