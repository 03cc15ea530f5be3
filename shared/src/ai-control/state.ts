import type { Timestamp, UnassignPolicy } from '../types';

/** Why the AI is paused. Each source maps to a sentence on the card (see card/labels.ts). */
export type PauseSource =
  | 'agent_took_ownership'
  | 'agent_replied'
  | 'workflow'
  | 'card'
  | 'legacy_owner_check';

/** Pauses that the agent caused by owning or working the conversation; only these may be undone by unassignment. */
export const OWNERSHIP_PAUSE_SOURCES: readonly PauseSource[] = [
  'agent_took_ownership',
  'agent_replied',
  'legacy_owner_check',
];

/** Who did something. `id` is the HubSpot owner/user id, the workflow id, or null for the system. */
export interface Actor {
  kind: 'hubspot_owner' | 'hubspot_user' | 'workflow' | 'ai' | 'system';
  id: string | null;
  name: string | null;
}

export type AiControlState =
  | { status: 'active'; since: Timestamp | null }
  | {
      status: 'paused';
      source: PauseSource;
      by: Actor;
      reason: string | null;
      since: Timestamp;
      /** A timed pause resumes by itself once `until` has passed. */
      until: Timestamp | null;
    }
  | {
      status: 'handoff_requested';
      reason: string;
      requestedBy: Actor;
      since: Timestamp;
      requestId: string;
    };

export type AiStatus = AiControlState['status'];

/**
 * The AI control of one conversation. `handoffRequestIds` remembers the handoffs already made, so that a
 * conversation resumed after a handoff is never handed off again for the same request (no handoff loops).
 */
export interface AiControl {
  state: AiControlState;
  handoffRequestIds: readonly string[];
}

/** How many past handoff request ids are remembered per conversation. */
export const HANDOFF_MEMORY = 20;

export const initialAiControl = (): AiControl => ({
  state: { status: 'active', since: null },
  handoffRequestIds: [],
});

export const isAiAllowedToReply = (control: AiControl): boolean => control.state.status === 'active';

export type AiCommand =
  | { type: 'pause'; source: 'workflow' | 'card'; by: Actor; reason?: string | null; until?: Timestamp | null }
  | { type: 'resume'; by: Actor }
  | { type: 'sendToAi'; by: Actor; instruction?: string | null }
  | {
      type: 'requestHandoff';
      by: Actor;
      reason: string;
      /** Identifies the request (the triggering message, or the workflow callback) to prevent loops. */
      requestId: string;
      assignOwnerId?: string | null;
      pipelineStage?: string | null;
      /** What the AI detected in the conversation, when it says (shown in the handoff comment). */
      sentiment?: string | null;
      language?: string | null;
    }
  | { type: 'ownerAssigned'; owner: Actor; detectedBy: 'webhook' | 'legacy_owner_check' }
  | { type: 'agentReplied'; agent: Actor }
  | {
      type: 'ownerCleared';
      policy: UnassignPolicy;
      /**
       * An agent who still holds the other side (the thread assignee when the ticket owner was cleared, or the
       * reverse): the conversation is still in human hands, so the AI stays paused whatever the policy.
       */
      stillHeldBy?: Actor | null;
    }
  | { type: 'timedResumeDue' };

export type AiOutcome =
  | 'paused'
  | 'already_paused'
  | 'resumed'
  | 'already_active'
  | 'handoff_requested'
  | 'already_requested'
  | 'handoff_suppressed'
  | 'not_due'
  | 'ignored';

/** The HubSpot ticket property value that mirrors the AI status. */
export type TicketAiStatus = 'active' | 'paused' | 'handoff';

export const ticketAiStatusOf = (state: AiControlState): TicketAiStatus =>
  state.status === 'handoff_requested' ? 'handoff' : state.status;

/** Side effects for the shell to perform after the new state is committed. Each must be idempotent. */
export type AiEffect =
  | {
      type: 'setTicketAiStatus';
      status: TicketAiStatus;
      /**
       * Present when a handoff request moved the status to `handoff` (its requestId): the same update of each
       * linked ticket also sets the handoff mark, so a handoff writes the ticket once; the handoff's own effect
       * (`writeHandoffNote`, same requestId) then marks only the tickets this one did not.
       */
      handoffRequestId?: string;
    }
  | {
      type: 'writeHandoffNote';
      reason: string;
      requestedBy: Actor;
      requestId: string;
      /** Present (true) when the request names the ticket's owner: the handoff then leaves the default owner out. */
      ownerNamed?: true;
      sentiment?: string;
      language?: string;
    }
  | { type: 'assignTicketOwner'; ownerId: string }
  | { type: 'setTicketPipelineStage'; stage: string }
  | { type: 'askAiToReply'; instruction: string | null }
  // Queued by the shell, not by decide(), for organizations on the OpenCX API: an agent's reply sent to the
  // conversation's OpenCX session (taking it over from the AI when it paused the AI), and the session's close.
  | { type: 'forwardToOpenCx'; text: string; agent: { hubspotUserId: string; name: string | null }; takeOver: boolean }
  | { type: 'closeOpenCxSession' };

/**
 * What the audit trail records: a transition, or (`personal_data_erased`) a privacy deletion that blanked the
 * session's chat history, recorded by the sync shell rather than by `decide`.
 */
export interface AiAuditEvent {
  type:
    | 'ai_paused'
    | 'ai_resumed'
    | 'pause_cause_changed'
    | 'handoff_requested'
    | 'handoff_suppressed'
    | 'sent_to_ai'
    | 'personal_data_erased';
  at: Timestamp;
  actor: Actor;
  detail: Record<string, string | number | null>;
}

export interface Decision {
  control: AiControl;
  outcome: AiOutcome;
  events: AiAuditEvent[];
  effects: AiEffect[];
}
