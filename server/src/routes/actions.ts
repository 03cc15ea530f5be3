import { WORKFLOW_ACTION_NAMES } from '@opencx/shared';
import { Hono } from 'hono';
import { wakeCallbackCompletions } from '../actions/completion-signal';
import { executeWorkflowAction } from '../actions/execute-action';
import { asTransientFailure } from '../actions/transient-failure';
import type { ServerResponse } from 'node:http';
import type { AppDeps } from '../deps';
import { verifyHubSpotRequest, type VerifiedEnv } from '../http/verify-hubspot';

/**
 * Mounted at /hubspot/actions: one route per workflow action (shared WORKFLOW_ACTIONS). Signed by HubSpot (v3
 * when present, else v2); the answer is `{ outputFields }` (see docs/workflow-actions.md). Transient failures
 * answer 503, or 429 with Retry-After, so that HubSpot calls again; nothing is recorded for them.
 */
export function actionRoutes(deps: AppDeps) {
  const routes = new Hono<VerifiedEnv>();
  const verified = verifyHubSpotRequest(deps, { allowV2Fallback: true });
  for (const action of WORKFLOW_ACTION_NAMES) {
    routes.post(`/${action}`, verified, async (c) => {
      try {
        const answer = await executeWorkflowAction(deps, action, c.var.rawBody);
        if (answer.outputFields['hs_execution_state'] === 'BLOCK') afterResponse(c.env, () => wakeCallbackCompletions(deps.store));
        return c.json(answer);
      } catch (err) {
        const transient = asTransientFailure(err);
        if (!transient) throw err;
        // Retry-After in delta-seconds, as HTTP defines it (RFC 9110 §10.2.3). HubSpot does not document how its
        // workflow engine reads it on an action's answer (docs/hubspot-contract.md §3.4), so nothing relies on it:
        // HubSpot retries a 429 on its own schedule either way.
        if (transient.retryAfterMs !== undefined) c.header('Retry-After', String(Math.max(1, Math.ceil(transient.retryAfterMs / 1000))));
        throw transient.error;
      }
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
