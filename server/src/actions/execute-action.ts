import {
  failedActionResponse,
  WORKFLOW_ACTION_NAMES,
  WORKFLOW_ACTIONS,
  workflowActionRequestSchema,
  type ActionObjectType,
  type ChatSession,
  type Decision,
  type WorkflowActionErrorCode,
  type WorkflowActionName,
} from '@opencx/shared';
import { z } from 'zod';
import { applyAiCommand } from '../ai-control/apply-command';
import type { SyncDeps } from '../sync/sync-deps';
import { AppError } from '../errors';
import { parseJsonBody } from '../http/parse-body';
import type { ActionAnswer, ActionWork, NewActionExecution } from '../store/action-executions.store';
import { blockedAnswer, SEND_TO_AI_BLOCK_MS, successAnswer, summarizeDecisions } from './action-answers';
import { commandFor, parseActionInputs, workflowActor, type ActionInputs } from './action-commands';
import { checkOwner } from './check-owner';
import { isConnectionLost } from '../failure';
import { findEnrolledSessions, type EnrolledSessions } from './enrolled-sessions';
import { resolveOAuthOrganization } from './resolve-organization';

export type ExecuteActionDeps = SyncDeps;

// The envelope only: input values are checked separately, since a bad value is the workflow author's mistake
// (a failed step with a message, INVALID_INPUT) while a broken envelope is not a HubSpot call at all (400).
const envelopeOf = (name: WorkflowActionName) =>
  workflowActionRequestSchema(z.looseObject({}), WORKFLOW_ACTIONS[name].objectTypes as readonly ActionObjectType[] as ['TICKET', 'CONTACT']);
const envelopeSchemas = Object.fromEntries(WORKFLOW_ACTION_NAMES.map((name) => [name, envelopeOf(name)])) as Record<
  WorkflowActionName,
  ReturnType<typeof envelopeOf>
>;

type ActionCall = z.output<ReturnType<typeof envelopeOf>>;

/**
 * Runs one workflow-action call and returns the answer for HubSpot. Idempotent by callbackId: the answer is
 * recorded in the transaction that acts, so a repeated call (or two copies at once) acts once and gets the first
 * answer. Permanent failures are answers too (FAIL_CONTINUE + errorCode). Transient failures throw (the route
 * answers 503/429 and records nothing), so HubSpot's retry runs the action.
 */
export async function executeWorkflowAction(
  deps: ExecuteActionDeps,
  action: WorkflowActionName,
  rawBody: string,
): Promise<ActionAnswer> {
  const call = parseJsonBody(rawBody, envelopeSchemas[action]);
  const known = await deps.store.actionExecutions.get(call.callbackId);
  if (known) return replay(known, call, action);

  const fail = (code: WorkflowActionErrorCode) =>
    answerOnce(deps, call, action, { outputFields: { ...failedActionResponse(code).outputFields } });
  const parsed = parseActionInputs(action, call.inputFields);
  if (!parsed) return fail('INVALID_INPUT');
  const portalId = call.origin.portalId;
  const organization = await resolveOAuthOrganization(deps.store, portalId);
  if (!organization.ok) return fail(organization.errorCode);
  // HubSpot waits for this answer: one attempt per call, a failure is answered 503 and HubSpot calls again.
  const oneShot = { ...deps, hubspot: deps.hubspot.withRetryPolicy({ attempts: 1 }) };
  let enrolled: EnrolledSessions;
  try {
    enrolled = await findEnrolledSessions(oneShot, organization.organizationId, portalId, call.object, deps.clock.now());
  } catch (err) {
    if (isConnectionLost(err)) return fail('NOT_CONNECTED');
    throw err;
  }
  if (enrolled.sessions.length === 0) return fail('NO_CONVERSATION');

  if (parsed.action === 'request-handoff' && parsed.inputs.ownerId) {
    const owner = await checkOwner(oneShot, portalId, parsed.inputs.ownerId);
    if (owner === 'unknown_owner') return fail('INVALID_INPUT');
    if (owner === 'not_connected') return fail('NOT_CONNECTED');
  }
  return actOnce(deps, call, parsed, enrolled);
}

/** A repeated callbackId: the first answer, provided it is the same action of the same portal. */
function replay(
  known: { action: WorkflowActionName; portalId: number; answer: ActionAnswer },
  call: ActionCall,
  action: WorkflowActionName,
): ActionAnswer {
  if (known.action !== action || known.portalId !== call.origin.portalId) {
    throw new AppError('conflict', `callbackId ${call.callbackId} was already used by another action or portal`);
  }
  return known.answer;
}

/** Thrown inside the transaction to roll back our decisions when another writer recorded first. */
class AnsweredMeanwhile extends Error {
  constructor(readonly answer: ActionAnswer) {
    super('another call with this callbackId answered first');
  }
}

function newExecution(call: ActionCall, action: WorkflowActionName, answer: ActionAnswer, work?: ActionWork): NewActionExecution {
  return { callbackId: call.callbackId, portalId: call.origin.portalId, action, request: call, answer, work: work ?? null };
}

/** Records an answer that acted on nothing (a failure), unless a first answer exists. */
async function answerOnce(deps: ExecuteActionDeps, call: ActionCall, action: WorkflowActionName, answer: ActionAnswer) {
  const { execution } = await deps.store.actionExecutions.insertFirst(newExecution(call, action, answer), deps.clock.now());
  return replay(execution, call, action);
}

/**
 * Decides for every session and records the answer in one transaction. The existence check runs inside it
 * (BEGIN IMMEDIATE holds the write lock), so of two concurrent copies the second finds the first's row.
 */
async function actOnce(
  deps: ExecuteActionDeps,
  call: ActionCall,
  parsed: ActionInputs,
  { sessions, link }: EnrolledSessions,
): Promise<ActionAnswer> {
  try {
    return await deps.store.transaction(async (tx) => {
      const existing = await tx.actionExecutions.get(call.callbackId);
      if (existing) return replay(existing, call, parsed.action);
      const now = deps.clock.now();
      await link(tx);
      const command = commandFor(parsed, { by: workflowActor(call.context.workflowId), now, callbackId: call.callbackId });
      const decisions: Decision[] = [];
      // Send to OpenCX AI runs the AI itself (callback-completions worker), to report the reply to HubSpot.
      const options = parsed.action === 'send-to-ai' ? { performedByCaller: ['askAiToReply' as const] } : {};
      for (const session of sessions) decisions.push(await applyAiCommand({ store: tx }, session.id, command, now, options));
      const { answer, work } = answerFor(parsed, sessions, decisions, now);
      const { inserted, execution } = await tx.actionExecutions.insertFirst(newExecution(call, parsed.action, answer, work), now);
      if (!inserted) throw new AnsweredMeanwhile(execution.answer);
      return answer;
    });
  } catch (err) {
    if (err instanceof AnsweredMeanwhile) return err.answer;
    throw err;
  }
}

function answerFor(
  parsed: ActionInputs,
  sessions: readonly ChatSession[],
  decisions: readonly Decision[],
  now: number,
): { answer: ActionAnswer; work?: ActionWork } {
  const result = summarizeDecisions(decisions);
  if (parsed.action !== 'send-to-ai') return { answer: successAnswer(result) };
  return {
    answer: blockedAnswer(),
    work: {
      kind: 'send_to_ai',
      sessionIds: sessions.map((s) => s.id),
      instruction: parsed.inputs.instruction ?? null,
      outcome: result.outcome === 'resumed' ? 'resumed' : 'already_active',
      expiresAt: now + SEND_TO_AI_BLOCK_MS,
    },
  };
}
