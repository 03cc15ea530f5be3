import {
  WORKFLOW_ACTIONS,
  type Actor,
  type AiCommand,
  type PauseAiInput,
  type RequestHandoffInput,
  type ResumeAiInput,
  type SendToAiInput,
  type Timestamp,
  type WorkflowActionName,
} from '@opencx/shared';

/** An action's input fields, parsed with its schema and tagged with the action they belong to. */
export type ActionInputs =
  | { action: 'pause-ai'; inputs: PauseAiInput }
  | { action: 'resume-ai'; inputs: ResumeAiInput }
  | { action: 'send-to-ai'; inputs: SendToAiInput }
  | { action: 'request-handoff'; inputs: RequestHandoffInput };

/** Null when the values do not fit the action's schema: the caller answers INVALID_INPUT. */
export function parseActionInputs(action: WorkflowActionName, inputFields: unknown): ActionInputs | null {
  const parsed = WORKFLOW_ACTIONS[action].inputSchema.safeParse(inputFields ?? {});
  // The registry pairs each action with its own schema, so the tag and the parsed shape agree.
  return parsed.success ? ({ action, inputs: parsed.data } as ActionInputs) : null;
}

/** A workflow acts; HubSpot tells us which one (its name would need an API call, so the card says "a workflow"). */
export function workflowActor(workflowId: number | undefined): Actor {
  return { kind: 'workflow', id: workflowId === undefined ? null : String(workflowId), name: null };
}

export interface CommandContext {
  by: Actor;
  now: Timestamp;
  /** Identifies a handoff request, so a conversation is never handed off twice for the same workflow step. */
  callbackId: string;
}

const MINUTE = 60_000;

export function commandFor(parsed: ActionInputs, { by, now, callbackId }: CommandContext): AiCommand {
  switch (parsed.action) {
    case 'pause-ai': {
      const { durationMinutes, reason } = parsed.inputs;
      return {
        type: 'pause',
        source: 'workflow',
        by,
        reason: reason ?? null,
        until: durationMinutes === undefined ? null : now + durationMinutes * MINUTE,
      };
    }
    case 'resume-ai':
      // The note has no place in the AI state; it stays with the execution's stored request (the audit trail).
      return { type: 'resume', by };
    case 'send-to-ai':
      return { type: 'sendToAi', by, instruction: parsed.inputs.instruction ?? null };
    case 'request-handoff': {
      const { reason, ownerId, pipelineStage } = parsed.inputs;
      return {
        type: 'requestHandoff',
        by,
        reason,
        requestId: callbackId,
        assignOwnerId: ownerId ?? null,
        pipelineStage: pipelineStage ?? null,
      };
    }
    default: {
      const exhaustive: never = parsed;
      throw new Error(`unknown workflow action ${JSON.stringify(exhaustive)}`);
    }
  }
}
