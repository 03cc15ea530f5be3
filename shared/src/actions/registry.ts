import type { z } from 'zod';
import { pauseAiInputSchema, pauseAiOutputSchema } from './pause-ai';
import { requestHandoffInputSchema, requestHandoffOutputSchema } from './request-handoff';
import { resumeAiInputSchema, resumeAiOutputSchema } from './resume-ai';
import { sendToAiInputSchema, sendToAiOutputSchema } from './send-to-ai';
import { COMMON_ERROR_MESSAGES, type WorkflowActionErrorCode } from './outputs';
import type { ActionObjectType } from './request';

export const WORKFLOW_ACTION_NAMES = ['pause-ai', 'resume-ai', 'send-to-ai', 'request-handoff'] as const;
/** The route name: the action is served at `/hubspot/actions/<name>`. */
export type WorkflowActionName = (typeof WORKFLOW_ACTION_NAMES)[number];

export interface WorkflowActionDefinition {
  uid: string;
  label: string;
  /** Path from the repository root; the hsmeta test and the local sandbox read it. */
  hsmetaFile: string;
  routePath: `/hubspot/actions/${WorkflowActionName}`;
  objectTypes: readonly [ActionObjectType, ...ActionObjectType[]];
  inputSchema: z.ZodObject;
  outputSchema: z.ZodObject;
  /** The workflow-history message for each error code, as in the hsmeta `labels.en.executionRules`. */
  errorMessages: Record<WorkflowActionErrorCode, string>;
}

const hsmeta = (name: WorkflowActionName) => `hubspot-project/app/workflow-actions/${name}-hsmeta.json`;

/** The workflow actions, keyed by route name; a missing or misspelt action is a compile error. */
export const WORKFLOW_ACTIONS = {
  'pause-ai': {
    uid: 'opencx_pause_ai',
    label: 'Pause OpenCX AI',
    hsmetaFile: hsmeta('pause-ai'),
    routePath: '/hubspot/actions/pause-ai',
    objectTypes: ['TICKET', 'CONTACT'],
    inputSchema: pauseAiInputSchema,
    outputSchema: pauseAiOutputSchema,
    errorMessages: {
      ...COMMON_ERROR_MESSAGES,
      INVALID_INPUT:
        'OpenCX could not pause the AI: "Pause for (minutes)" must be a whole number from 1 to 525600, or empty to ' +
        'pause until resumed, and the reason at most 500 characters.',
    },
  },
  'resume-ai': {
    uid: 'opencx_resume_ai',
    label: 'Resume OpenCX AI',
    hsmetaFile: hsmeta('resume-ai'),
    routePath: '/hubspot/actions/resume-ai',
    objectTypes: ['TICKET', 'CONTACT'],
    inputSchema: resumeAiInputSchema,
    outputSchema: resumeAiOutputSchema,
    errorMessages: {
      ...COMMON_ERROR_MESSAGES,
      INVALID_INPUT: 'OpenCX could not resume the AI: the note must be at most 500 characters.',
    },
  },
  'send-to-ai': {
    uid: 'opencx_send_to_ai',
    label: 'Send to OpenCX AI',
    hsmetaFile: hsmeta('send-to-ai'),
    routePath: '/hubspot/actions/send-to-ai',
    objectTypes: ['TICKET', 'CONTACT'],
    inputSchema: sendToAiInputSchema,
    outputSchema: sendToAiOutputSchema,
    errorMessages: {
      ...COMMON_ERROR_MESSAGES,
      INVALID_INPUT: 'OpenCX could not send the conversation to the AI: the instruction must be at most 2000 characters.',
    },
  },
  'request-handoff': {
    uid: 'opencx_request_handoff',
    label: 'Request OpenCX handoff',
    hsmetaFile: hsmeta('request-handoff'),
    routePath: '/hubspot/actions/request-handoff',
    objectTypes: ['TICKET'],
    inputSchema: requestHandoffInputSchema,
    outputSchema: requestHandoffOutputSchema,
    errorMessages: {
      ...COMMON_ERROR_MESSAGES,
      INVALID_INPUT:
        'OpenCX could not request a handoff: a reason is required (at most 500 characters), the owner must be a ' +
        'HubSpot owner and the pipeline stage at most 100 characters.',
    },
  },
} as const satisfies Record<WorkflowActionName, WorkflowActionDefinition>;
