import type { AiOutcome, AiStatus, Decision } from '@opencx/shared';
import type { ActionAnswer } from '../store/action-executions.store';

/** Outcomes that changed the AI state; anything else (already_paused, …) left it as it was. */
const CHANGING: readonly AiOutcome[] = ['paused', 'resumed', 'handoff_requested'];

export interface ActionResult {
  aiStatus: AiStatus;
  outcome: AiOutcome;
}

/**
 * One result for a call that acted on several conversations (a contact's open sessions, newest first): the
 * first conversation the action changed, else the first one. So "paused" means at least one conversation was
 * paused by this call, "already_paused" that all of them already were.
 */
export function summarizeDecisions(decisions: readonly Decision[]): ActionResult {
  const chosen = decisions.find((d) => CHANGING.includes(d.outcome)) ?? decisions[0];
  if (!chosen) throw new Error('summarizeDecisions needs at least one decision');
  return { aiStatus: chosen.control.state.status, outcome: chosen.outcome };
}

export function successAnswer(result: ActionResult, extra: Record<string, string> = {}): ActionAnswer {
  return { outputFields: { aiStatus: result.aiStatus, outcome: result.outcome, ...extra, hs_execution_state: 'SUCCESS' } };
}

/**
 * How long HubSpot keeps a Send to OpenCX AI execution blocked. The AI answers in seconds; a day covers a long
 * HubSpot or AI outage, after which the workflow should move on rather than wait HubSpot's default week.
 */
export const SEND_TO_AI_BLOCK_DURATION = 'P1D';
export const SEND_TO_AI_BLOCK_MS = 24 * 3_600_000;

export const blockedAnswer = (): ActionAnswer => ({
  outputFields: { hs_execution_state: 'BLOCK', hs_expiration_duration: SEND_TO_AI_BLOCK_DURATION },
});
