import type { Timestamp } from '../types';
import {
  HANDOFF_MEMORY,
  OWNERSHIP_PAUSE_SOURCES,
  ticketAiStatusOf,
  type Actor,
  type AiCommand,
  type AiControl,
  type AiControlState,
  type AiOutcome,
  type Decision,
  type PauseSource,
} from './state';

const SYSTEM: Actor = { kind: 'system', id: null, name: null };

const unchanged = (control: AiControl, outcome: AiOutcome): Decision => ({
  control,
  outcome,
  events: [],
  effects: [],
});

/** A state change: the audit event and the ticket property always follow the new status. */
const moveTo = (
  control: AiControl,
  state: AiControlState,
  outcome: AiOutcome,
  event: Decision['events'][number],
  extraEffects: Decision['effects'] = [],
): Decision => ({
  control: { ...control, state },
  outcome,
  events: [event],
  effects:
    ticketAiStatusOf(control.state) === ticketAiStatusOf(state)
      ? extraEffects
      : [{ type: 'setTicketAiStatus', status: ticketAiStatusOf(state) }, ...extraEffects],
});

const pauseBy = (
  control: AiControl,
  source: PauseSource,
  by: Actor,
  reason: string | null,
  until: Timestamp | null,
  now: Timestamp,
): Decision => {
  const current = control.state;
  if (current.status === 'paused') {
    const sameCause = current.source === source && current.by.id === by.id && current.until === until;
    if (sameCause) return unchanged(control, 'already_paused');
    // Already paused, but a more specific cause arrived (e.g. an agent took a ticket a workflow paused):
    // the card must say who holds it now. A workflow or card re-pause never replaces an agent's cause.
    const agentHoldsIt = OWNERSHIP_PAUSE_SOURCES.includes(current.source);
    const newIsAgent = OWNERSHIP_PAUSE_SOURCES.includes(source);
    if (agentHoldsIt && !newIsAgent) return unchanged(control, 'already_paused');
    const state: AiControlState = { status: 'paused', source, by, reason, since: current.since, until };
    return {
      control: { ...control, state },
      outcome: 'already_paused',
      events: [{ type: 'pause_cause_changed', at: now, actor: by, detail: { source, reason, until } }],
      effects: [],
    };
  }
  const state: AiControlState = { status: 'paused', source, by, reason, since: now, until };
  return moveTo(control, state, 'paused', {
    type: 'ai_paused',
    at: now,
    actor: by,
    detail: { source, reason, until, from: current.status },
  });
};

const resume = (control: AiControl, by: Actor, now: Timestamp, why: string): Decision =>
  control.state.status === 'active'
    ? unchanged(control, 'already_active')
    : moveTo(control, { status: 'active', since: now }, 'resumed', {
        type: 'ai_resumed',
        at: now,
        actor: by,
        detail: { why, from: control.state.status },
      });

/**
 * The AI control state machine: a pure function of (control, command, now).
 *
 * Un-assignment (`ownerCleared`) follows the organization's `UnassignPolicy`: with `resume`, a pause that the
 * agent caused (took ownership, replied, or was found owning it by the legacy check) ends and the AI answers
 * again, unless an agent still holds the other side (ticket owner or thread assignee); with `stay_paused` the AI stays paused until someone resumes it. Pauses from a workflow or the card are
 * never undone by un-assignment, since nobody unassigned them.
 */
export function decide(control: AiControl, command: AiCommand, now: Timestamp): Decision {
  const state = control.state;
  switch (command.type) {
    case 'pause':
      return pauseBy(control, command.source, command.by, command.reason ?? null, command.until ?? null, now);

    case 'resume':
      return resume(control, command.by, now, 'resumed');

    case 'sendToAi': {
      const ask = { type: 'askAiToReply' as const, instruction: command.instruction ?? null };
      const resumed = resume(control, command.by, now, 'sent_to_ai');
      return {
        ...resumed,
        events: [
          ...resumed.events,
          { type: 'sent_to_ai', at: now, actor: command.by, detail: { instruction: command.instruction ?? null } },
        ],
        effects: [...resumed.effects, ask],
      };
    }

    case 'requestHandoff': {
      if (state.status === 'handoff_requested') return unchanged(control, 'already_requested');
      if (control.handoffRequestIds.includes(command.requestId)) {
        return {
          control,
          outcome: 'handoff_suppressed',
          events: [
            { type: 'handoff_suppressed', at: now, actor: command.by, detail: { requestId: command.requestId } },
          ],
          effects: [],
        };
      }
      const handoff: AiControlState = {
        status: 'handoff_requested',
        reason: command.reason,
        requestedBy: command.by,
        since: now,
        requestId: command.requestId,
      };
      const decision = moveTo(
        control,
        handoff,
        'handoff_requested',
        {
          type: 'handoff_requested',
          at: now,
          actor: command.by,
          detail: { reason: command.reason, requestId: command.requestId, from: state.status },
        },
        [
          {
            type: 'writeHandoffNote', reason: command.reason, requestedBy: command.by, requestId: command.requestId,
            ...(command.assignOwnerId ? { ownerNamed: true as const } : {}),
            ...(command.sentiment ? { sentiment: command.sentiment } : {}),
            ...(command.language ? { language: command.language } : {}),
          },
          ...(command.assignOwnerId ? [{ type: 'assignTicketOwner' as const, ownerId: command.assignOwnerId }] : []),
          ...(command.pipelineStage ? [{ type: 'setTicketPipelineStage' as const, stage: command.pipelineStage }] : []),
        ],
      );
      // The status change and the handoff mark go to the ticket together (one update): the status effect names
      // the request whose mark it carries.
      const effects = decision.effects.map((e) => (e.type === 'setTicketAiStatus' ? { ...e, handoffRequestId: command.requestId } : e));
      const handoffRequestIds = [...control.handoffRequestIds, command.requestId].slice(-HANDOFF_MEMORY);
      return { ...decision, effects, control: { state: handoff, handoffRequestIds } };
    }

    case 'ownerAssigned':
      return pauseBy(
        control,
        command.detectedBy === 'legacy_owner_check' ? 'legacy_owner_check' : 'agent_took_ownership',
        command.owner,
        null,
        null,
        now,
      );

    case 'agentReplied':
      return pauseBy(control, 'agent_replied', command.agent, null, null, now);

    case 'ownerCleared':
      if (state.status !== 'paused' || !OWNERSHIP_PAUSE_SOURCES.includes(state.source)) {
        return unchanged(control, 'ignored');
      }
      return command.policy === 'resume' && !command.stillHeldBy
        ? resume(control, SYSTEM, now, 'owner_cleared')
        : unchanged(control, 'already_paused');

    case 'timedResumeDue':
      if (state.status !== 'paused' || state.until === null || state.until > now) {
        return unchanged(control, 'not_due');
      }
      return resume(control, SYSTEM, now, 'pause_elapsed');

    default: {
      const exhaustive: never = command;
      throw new Error(`unknown AI command ${JSON.stringify(exhaustive)}`);
    }
  }
}
