// Custom workflow action executions (docs/hubspot-contract.md §3): HubSpot POSTs the enrolled object to the action's
// actionUrl (v2 + v3 signed), reads `outputFields`, keeps BLOCKed executions open until the app completes the
// callback, and retries failed calls (5xx, 429, network) with backoff.
import { SandboxError, type SandboxContext } from './context';
import { isInstalled } from './grants';
import { sendOutbound, USER_AGENTS } from './http-out';
import { nextId } from './ids';
import { delayFor } from './options';
import { requirePortal } from './portals';
import type { ActionDefinition, ActionExecution } from './runtime-types';
import { signatureHeaders } from './signing';
import { pushCapped } from './state';

export interface RunWorkflowActionInput {
  portalId: number;
  /** uid from the hsmeta file (e.g. `pause_ai_action`) or its file key (e.g. `pause-ai`). */
  actionUid?: string;
  /** Full URL, or the path of a definition's actionUrl (e.g. `/hubspot/actions/pause-ai`). */
  actionUrl?: string;
  objectType: 'TICKET' | 'CONTACT';
  objectId: string | number;
  inputFields?: Record<string, unknown>;
  callbackId?: string;
  workflowId?: number;
  actionId?: number;
}

const urlPath = (url: string) => {
  try { return new URL(url).pathname; } catch { return url; }
};

function findDefinition(ctx: SandboxContext, input: RunWorkflowActionInput): ActionDefinition | undefined {
  const defs = ctx.state.actionDefinitions;
  if (input.actionUid) return defs.find((d) => d.uid === input.actionUid || d.fileKey === input.actionUid);
  if (input.actionUrl) return defs.find((d) => d.actionUrl && (d.actionUrl === input.actionUrl || urlPath(d.actionUrl) === urlPath(input.actionUrl!)));
  return undefined;
}

function objectProperties(ctx: SandboxContext, input: RunWorkflowActionInput, names: string[]): Record<string, string | null> {
  const portal = requirePortal(ctx, input.portalId);
  const id = String(input.objectId);
  const record = input.objectType === 'TICKET' ? portal.tickets[id] : portal.contacts[id];
  if (!record || record.archived) throw new SandboxError(`${input.objectType} ${id} does not exist in portal ${input.portalId}`, 404);
  return Object.fromEntries(names.map((n) => [n, record.properties[n] ?? null]));
}

// ASSUMPTION (UNVERIFIED): `hs_expiration_duration` is an ISO-8601 duration; default block 1 week. source: docs/hubspot-contract.md §3.2
export function parseIsoDuration(value: string | undefined): number | undefined {
  const m = /^P(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?)?$/.exec(value ?? '');
  if (!m || value === 'P' || value === 'PT') return undefined;
  const [w, d, h, min, s] = m.slice(1).map((x) => Number(x ?? 0)) as [number, number, number, number, number];
  return ((((w * 7 + d) * 24 + h) * 60 + min) * 60 + s) * 1000;
}
const ONE_WEEK_MS = 7 * 24 * 3600_000;

export async function runWorkflowAction(ctx: SandboxContext, input: RunWorkflowActionInput): Promise<ActionExecution> {
  const portal = requirePortal(ctx, input.portalId);
  if (!isInstalled(ctx, portal.portalId)) throw new SandboxError(`app is not installed in portal ${portal.portalId}`);
  const def = findDefinition(ctx, input);
  const url = def?.actionUrl ?? (input.actionUrl && /^https?:\/\//.test(input.actionUrl) ? input.actionUrl : undefined);
  if (!url) throw new SandboxError(`no action found for ${input.actionUid ?? input.actionUrl ?? '(nothing)'}; pass a full actionUrl`, 404);
  if (def && def.objectTypes.length > 0 && !def.objectTypes.includes(input.objectType)) {
    throw new SandboxError(`action ${def.uid} does not support object type ${input.objectType}`);
  }
  const properties = objectProperties(ctx, input, def?.objectProperties ?? []);
  const enrollmentId = nextId(ctx.state, 'enrollment');
  const actionId = input.actionId ?? 1;
  const actionDefinitionId = def?.actionDefinitionId ?? 0;
  const callbackId = input.callbackId ?? `ap-${portal.portalId}-${enrollmentId}-${actionId}-0`;
  const inputFields = input.inputFields ?? {};
  const request = {
    callbackId,
    origin: {
      portalId: portal.portalId,
      actionDefinitionId,
      actionDefinitionVersion: def?.actionDefinitionVersion ?? 1,
      actionExecutionIndexIdentifier: { enrollmentId, actionExecutionIndex: 0 },
    },
    context: { source: 'WORKFLOWS', workflowId: input.workflowId ?? 192814114, actionId },
    object: { objectId: Number(input.objectId), objectType: input.objectType, properties },
    inputFields,
    fields: inputFields,
  };
  const execution: ActionExecution = {
    id: nextId(ctx.state, 'execution'),
    callbackId,
    portalId: portal.portalId,
    actionUid: def?.uid,
    actionDefinitionId,
    url,
    request,
    rawBody: JSON.stringify(request),
    attempts: [],
    status: 'pending',
    createdAt: ctx.now(),
  };
  pushCapped(ctx.state.actionExecutions, execution);
  await ctx.work.track(attempt(ctx, execution));
  return execution;
}

async function attempt(ctx: SandboxContext, execution: ActionExecution): Promise<void> {
  const timestamp = ctx.now();
  const headers = {
    'Content-Type': 'application/json',
    'User-Agent': USER_AGENTS.actions,
    ...signatureHeaders({ clientSecret: ctx.app.clientSecret, method: 'POST', url: execution.url, body: execution.rawBody, timestamp, legacy: 'v2' }),
  };
  const record: ActionExecution['attempts'][number] = { attemptNumber: execution.attempts.length, startedAt: timestamp };
  execution.attempts.push(record);
  const result = await sendOutbound({
    url: execution.url, method: 'POST', headers, body: execution.rawBody, timeoutMs: ctx.config.actions.timeoutMs, shutdown: ctx.shutdown,
  });
  record.durationMs = Math.round(result.durationMs);
  if (execution.completedVia === 'callback') return; // the app completed it while we waited for this response
  if (!result.ok) {
    record.error = `${result.error}: ${result.message}`;
    if (result.error !== 'aborted') scheduleRetry(ctx, execution, undefined);
    else execution.status = 'failed';
    return;
  }
  record.status = result.status;
  record.responseBody = result.bodyText;
  if (result.status === 429 || result.status >= 500) {
    // HubSpot retries 429 and 5xx on its own schedule; how (or whether) it reads Retry-After on an action's answer
    // is not documented (docs/hubspot-contract.md §3.4), so the sandbox ignores it: an app cannot rely on it.
    scheduleRetry(ctx, execution, undefined);
    return;
  }
  if (result.status < 200 || result.status >= 300) {
    return finish(ctx, execution, 'failed', undefined, `HTTP ${result.status}`);
  }
  let outputFields: Record<string, string> = {};
  try {
    const parsed = JSON.parse(result.bodyText || '{}') as { outputFields?: Record<string, unknown> };
    outputFields = Object.fromEntries(Object.entries(parsed.outputFields ?? {}).map(([k, v]) => [k, String(v)]));
  } catch {
    // ASSUMPTION (UNVERIFIED): a 2xx without a JSON body counts as a failed execution. source: docs/hubspot-contract.md §3.2
    return finish(ctx, execution, 'failed', undefined, 'response body is not JSON');
  }
  const state = outputFields['hs_execution_state'];
  if (state === 'BLOCK') {
    execution.status = 'blocked';
    execution.executionState = 'BLOCK';
    execution.outputFields = outputFields;
    execution.blockedUntil = ctx.now() + (parseIsoDuration(outputFields['hs_expiration_duration']) ?? ONE_WEEK_MS);
    return;
  }
  finish(ctx, execution, state === 'FAIL_CONTINUE' ? 'failed' : 'completed', outputFields);
}

function finish(ctx: SandboxContext, execution: ActionExecution, status: 'completed' | 'failed', outputFields?: Record<string, string>, error?: string): void {
  execution.status = status;
  execution.outputFields = outputFields;
  execution.executionState = outputFields?.['hs_execution_state'] ?? (status === 'completed' ? 'SUCCESS' : undefined);
  execution.completedVia = outputFields ? 'response' : undefined;
  execution.completedAt = ctx.now();
  if (error) execution.error = error;
}

function scheduleRetry(ctx: SandboxContext, execution: ActionExecution, retryAfterMs: number | undefined): void {
  const retries = execution.attempts.length - 1;
  if (retries >= ctx.config.actions.maxRetries) {
    finish(ctx, execution, 'failed', undefined, `gave up after ${execution.attempts.length} attempts`);
    return;
  }
  execution.status = 'retrying';
  ctx.work.schedule(retryAfterMs ?? delayFor(ctx.config.actions.retryDelaysMs, retries), () => {
    if (execution.status === 'retrying') void ctx.work.track(attempt(ctx, execution));
  });
}

/** The app's callback (POST /automation/v4/actions/callbacks/{id}/complete); false if nothing is waiting. */
export function completeCallback(ctx: SandboxContext, portalId: number, callbackId: string, outputFields: Record<string, unknown>): boolean {
  const execution = ctx.state.actionExecutions.find((e) => e.callbackId === callbackId && e.portalId === portalId);
  if (!execution) return false;
  if (execution.status === 'blocked' && execution.blockedUntil !== undefined && ctx.now() > execution.blockedUntil) execution.status = 'expired';
  if (execution.status !== 'blocked' && execution.status !== 'pending') return false;
  const fields = Object.fromEntries(Object.entries(outputFields).map(([k, v]) => [k, String(v)]));
  execution.status = fields['hs_execution_state'] === 'FAIL_CONTINUE' ? 'failed' : 'completed';
  execution.executionState = fields['hs_execution_state'] ?? 'SUCCESS';
  execution.outputFields = fields;
  execution.completedVia = 'callback';
  execution.completedAt = ctx.now();
  return true;
}
