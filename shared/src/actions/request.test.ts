import { describe, expect, it } from 'vitest';
import { failedActionResponse, workflowActionResponseSchema } from './outputs';
import { pauseAiInputSchema, pauseAiOutputSchema } from './pause-ai';
import { WORKFLOW_ACTIONS } from './registry';
import { workflowActionRequestSchema } from './request';
import { sendToAiOutputSchema } from './send-to-ai';

// The documented example body, plus the extra keys a 2025 capture shows (docs/hubspot-contract.md §3.1).
const body = (over: Record<string, unknown> = {}) => ({
  callbackId: 'ap-102670506-56776413549-7-0',
  origin: { portalId: 102670506, actionDefinitionId: 10646377, actionDefinitionVersion: 1, extensionDefinitionId: 9 },
  context: { source: 'WORKFLOWS', workflowId: 192814114 },
  object: { objectId: 904, objectType: 'TICKET', properties: { hubspot_owner_id: null } },
  inputFields: { durationMinutes: '30', reason: '' },
  fields: { durationMinutes: '30', reason: '' },
  ...over,
});

const pauseRequest = workflowActionRequestSchema(pauseAiInputSchema, WORKFLOW_ACTIONS['pause-ai'].objectTypes);
const handoffRequest = workflowActionRequestSchema(
  WORKFLOW_ACTIONS['request-handoff'].inputSchema,
  WORKFLOW_ACTIONS['request-handoff'].objectTypes,
);

describe('workflow action request body', () => {
  it('parses a HubSpot call: ids become strings, blank inputs vanish, extra keys are kept', () => {
    const parsed = pauseRequest.parse(body());
    expect(parsed.object).toEqual({ objectId: '904', objectType: 'TICKET', properties: { hubspot_owner_id: null } });
    expect(parsed.origin.portalId).toBe(102670506);
    expect(parsed.inputFields).toEqual({ durationMinutes: 30, reason: undefined });
    expect(parsed).toHaveProperty('fields');
  });

  it.each([
    { case: 'no inputFields at all', over: { inputFields: undefined }, ok: true },
    { case: 'no context', over: { context: undefined }, ok: true },
    { case: 'a contact', over: { object: { objectId: '77', objectType: 'CONTACT' } }, ok: true },
    { case: 'a deal', over: { object: { objectId: 77, objectType: 'DEAL' } }, ok: false },
    { case: 'no callbackId', over: { callbackId: '' }, ok: false },
    { case: 'a portalId as digits', over: { origin: { portalId: '62515' } }, ok: true },
    { case: 'no portalId', over: { origin: {} }, ok: false },
    { case: 'an invalid input', over: { inputFields: { durationMinutes: 'soon' } }, ok: false },
  ])('$case → ok=$ok', ({ over, ok }) => {
    expect(pauseRequest.safeParse(body(over)).success).toBe(ok);
  });

  it('accepts only tickets for a handoff', () => {
    const input = { inputFields: { reason: 'VIP' } };
    expect(handoffRequest.safeParse(body(input)).success).toBe(true);
    expect(handoffRequest.safeParse(body({ ...input, object: { objectId: 1, objectType: 'CONTACT' } })).success).toBe(false);
  });
});

describe('workflow action response', () => {
  const pauseResponse = workflowActionResponseSchema(pauseAiOutputSchema);
  const sendResponse = workflowActionResponseSchema(sendToAiOutputSchema);

  it.each([
    { out: { hs_execution_state: 'SUCCESS', aiStatus: 'paused', outcome: 'paused' }, ok: true },
    { out: { hs_execution_state: 'SUCCESS', aiStatus: 'paused' }, ok: false },
    { out: { hs_execution_state: 'SUCCESS', outcome: 'resumed', aiStatus: 'active' }, ok: false },
    { out: { hs_execution_state: 'FAIL_CONTINUE', errorCode: 'NO_CONVERSATION' }, ok: true },
    { out: { hs_execution_state: 'FAIL_CONTINUE' }, ok: false },
    { out: { hs_execution_state: 'BLOCK', hs_expiration_duration: 'P1WT1H' }, ok: true },
    { out: { hs_execution_state: 'BLOCK', hs_expiration_duration: '1 week' }, ok: false },
    { out: { hs_execution_state: 'SUCCESS', aiStatus: 'paused', outcome: 'paused', hs_expiration_duration: 'PT1H' }, ok: false },
    { out: { hs_execution_state: 'ASYNC' }, ok: false },
  ])('pause-ai $out → ok=$ok', ({ out, ok }) => {
    expect(pauseResponse.safeParse({ outputFields: out }).success).toBe(ok);
  });

  it('lets send-to-ai return the AI reply', () => {
    const out = { hs_execution_state: 'SUCCESS', aiStatus: 'active', outcome: 'resumed', aiReply: 'Hi!' };
    expect(sendResponse.parse({ outputFields: out }).outputFields.aiReply).toBe('Hi!');
  });

  it('builds a failure response every action accepts', () => {
    const failed = failedActionResponse('NOT_OAUTH');
    expect(failed).toEqual({ outputFields: { errorCode: 'NOT_OAUTH', hs_execution_state: 'FAIL_CONTINUE' } });
    for (const action of Object.values(WORKFLOW_ACTIONS)) {
      expect(workflowActionResponseSchema(action.outputSchema).safeParse(failed).success).toBe(true);
    }
  });
});
