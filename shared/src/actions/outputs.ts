import { z } from 'zod';
import type { AiOutcome, AiStatus } from '../ai-control/state';

/** Output field values are strings in HubSpot (`outputFields: {[key]: string}`); enumerations are string unions. */
export const AI_STATUS_OUTPUT_VALUES = ['active', 'paused', 'handoff_requested'] as const satisfies readonly AiStatus[];

/** The closed list of reasons an action fails. Each has an execution rule and a message in its hsmeta file. */
export const WORKFLOW_ACTION_ERROR_CODES = ['NOT_OAUTH', 'NOT_CONNECTED', 'NO_CONVERSATION', 'INVALID_INPUT'] as const;
export type WorkflowActionErrorCode = (typeof WORKFLOW_ACTION_ERROR_CODES)[number];

/** `labelName` of the execution rule for each error code (the key in `labels.<lang>.executionRules`). */
// UNVERIFIED: how HubSpot matches a rule's `conditions` ({"errorCode": "NOT_OAUTH"}) against the response's
// outputFields (docs/hubspot-contract.md §3.4, docs/hubspot-contract.md §8.4).
export const EXECUTION_RULE_LABEL_NAMES = {
  NOT_OAUTH: 'notOauth',
  NOT_CONNECTED: 'notConnected',
  NO_CONVERSATION: 'noConversation',
  INVALID_INPUT: 'invalidInput',
} as const satisfies Record<WorkflowActionErrorCode, string>;

/** The messages HubSpot shows in the workflow history; INVALID_INPUT is specific to each action (see registry). */
export const COMMON_ERROR_MESSAGES = {
  NOT_OAUTH:
    'This HubSpot account is connected to OpenCX through a legacy Private App. Reconnect HubSpot through OAuth in ' +
    'OpenCX Settings → Integrations → HubSpot to use OpenCX workflow actions.',
  NOT_CONNECTED:
    'This HubSpot account is not connected to OpenCX. Connect HubSpot in OpenCX Settings → Integrations → HubSpot.',
  NO_CONVERSATION: 'This record has no OpenCX AI conversation.',
} as const satisfies Record<Exclude<WorkflowActionErrorCode, 'INVALID_INPUT'>, string>;

/**
 * The output fields every action declares. All are optional because a failed call returns only `errorCode`;
 * `workflowActionResponseSchema` enforces which ones a given execution state needs.
 */
export const actionOutputSchema = <const O extends readonly [AiOutcome, ...AiOutcome[]]>(outcomes: O) =>
  z.object({
    aiStatus: z.enum(AI_STATUS_OUTPUT_VALUES).optional(),
    outcome: z.enum(outcomes).optional(),
    errorCode: z.enum(WORKFLOW_ACTION_ERROR_CODES).optional(),
  });

// UNVERIFIED: ASYNC as a fourth state appears only in third-party tables (docs/hubspot-contract.md §3.2); not offered.
export const EXECUTION_STATES = ['SUCCESS', 'FAIL_CONTINUE', 'BLOCK'] as const;
export type ExecutionState = (typeof EXECUTION_STATES)[number];

/** ISO-8601 duration such as P1WT1H or PT30M, as HubSpot expects for `hs_expiration_duration`. */
const ISO_DURATION = /^P(?!$)(\d+Y)?(\d+M)?(\d+W)?(\d+D)?(T(?=\d)(\d+H)?(\d+M)?(\d+S)?)?$/;

const executionFields = {
  hs_execution_state: z.enum(EXECUTION_STATES),
  // UNVERIFIED: the maximum BLOCK duration; HubSpot's default is one week (docs/hubspot-contract.md §3.2).
  hs_expiration_duration: z.string().regex(ISO_DURATION, 'must be an ISO-8601 duration').optional(),
};

/**
 * What the server answers to a workflow-action call: `{ outputFields }` with the declared fields plus HubSpot's
 * special `hs_*` keys. SUCCESS carries the status and outcome, FAIL_CONTINUE carries the error code, BLOCK
 * (finish later through the callback API) carries neither yet.
 */
export const workflowActionResponseSchema = <S extends z.ZodObject>(outputSchema: S) =>
  z
    .object({ outputFields: outputSchema.extend(executionFields) })
    .superRefine(({ outputFields: out }, ctx) => {
      const need = (field: string, when: string) =>
        ctx.addIssue({ code: 'custom', path: ['outputFields', field], message: `is required when ${when}` });
      if (out.hs_execution_state === 'SUCCESS' && !out.outcome) need('outcome', 'SUCCESS');
      if (out.hs_execution_state === 'SUCCESS' && !out.aiStatus) need('aiStatus', 'SUCCESS');
      if (out.hs_execution_state === 'FAIL_CONTINUE' && !out.errorCode) need('errorCode', 'FAIL_CONTINUE');
      if (out.hs_expiration_duration && out.hs_execution_state !== 'BLOCK') {
        ctx.addIssue({ code: 'custom', path: ['outputFields', 'hs_expiration_duration'], message: 'only with BLOCK' });
      }
    });

export interface ExecutionFields {
  hs_execution_state: ExecutionState;
  hs_expiration_duration?: string;
}

/** The response body for an action whose declared outputs are `O`. */
export interface WorkflowActionResponse<O> {
  outputFields: O & ExecutionFields;
}

/** The answer to a call that cannot be carried out: the workflow continues and shows the rule's message. */
export const failedActionResponse = (
  errorCode: WorkflowActionErrorCode,
): WorkflowActionResponse<{ errorCode: WorkflowActionErrorCode }> => ({
  outputFields: { errorCode, hs_execution_state: 'FAIL_CONTINUE' },
});
