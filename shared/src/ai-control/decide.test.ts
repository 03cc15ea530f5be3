import { describe, expect, it } from 'vitest';
import { decide } from './decide';
import { initialAiControl, isAiAllowedToReply, type Actor, type AiCommand, type AiControl, type AiControlState } from './state';

const T0 = 1_700_000_000_000;
const NOW = T0 + 60_000;
const jane: Actor = { kind: 'hubspot_owner', id: '101', name: 'Jane Agent' };
const sam: Actor = { kind: 'hubspot_owner', id: '102', name: 'Sam Support' };
const workflow: Actor = { kind: 'workflow', id: 'wf-9', name: null };
const ai: Actor = { kind: 'ai', id: null, name: 'OpenCX AI' };

const control = (state: AiControlState, handoffRequestIds: string[] = []): AiControl => ({ state, handoffRequestIds });
const active = control({ status: 'active', since: T0 });
const pausedByJane = control({ status: 'paused', source: 'agent_took_ownership', by: jane, reason: null, since: T0, until: null });
const pausedByWorkflow = control({ status: 'paused', source: 'workflow', by: workflow, reason: 'VIP', since: T0, until: null });
const pausedUntil = control({ status: 'paused', source: 'workflow', by: workflow, reason: null, since: T0, until: NOW - 1 });
const pausedLater = control({ status: 'paused', source: 'card', by: jane, reason: null, since: T0, until: NOW + 60_000 });
const handoff = control(
  { status: 'handoff_requested', reason: 'asked for a person', requestedBy: ai, since: T0, requestId: 'msg-1' },
  ['msg-1'],
);

const pause: AiCommand = { type: 'pause', source: 'workflow', by: workflow, reason: 'VIP' };
const pauseCard: AiCommand = { type: 'pause', source: 'card', by: jane };
const resume: AiCommand = { type: 'resume', by: jane };
const send: AiCommand = { type: 'sendToAi', by: workflow, instruction: 'offer a refund' };
const handoffCmd: AiCommand = { type: 'requestHandoff', by: ai, reason: 'angry customer', requestId: 'msg-7' };
const janeTakes: AiCommand = { type: 'ownerAssigned', owner: jane, detectedBy: 'webhook' };
const samTakes: AiCommand = { type: 'ownerAssigned', owner: sam, detectedBy: 'webhook' };
const legacyFinds: AiCommand = { type: 'ownerAssigned', owner: jane, detectedBy: 'legacy_owner_check' };
const janeReplies: AiCommand = { type: 'agentReplied', agent: jane };
const clearedResume: AiCommand = { type: 'ownerCleared', policy: 'resume' };
const clearedStay: AiCommand = { type: 'ownerCleared', policy: 'stay_paused' };
const due: AiCommand = { type: 'timedResumeDue' };

type Row = [name: string, given: AiControl, when: AiCommand, outcome: string, status: string, extra?: (s: AiControlState) => void];

// given / when / then: every state against every command.
const table: Row[] = [
  ['active + pause', active, pause, 'paused', 'paused', (s) => expect(s).toMatchObject({ source: 'workflow', reason: 'VIP', since: NOW })],
  ['active + resume', active, resume, 'already_active', 'active'],
  ['active + sendToAi', active, send, 'already_active', 'active'],
  ['active + requestHandoff', active, handoffCmd, 'handoff_requested', 'handoff_requested'],
  ['active + ownerAssigned', active, janeTakes, 'paused', 'paused', (s) => expect(s).toMatchObject({ source: 'agent_took_ownership', by: jane })],
  ['active + legacy owner check', active, legacyFinds, 'paused', 'paused', (s) => expect(s).toMatchObject({ source: 'legacy_owner_check' })],
  ['active + agentReplied', active, janeReplies, 'paused', 'paused', (s) => expect(s).toMatchObject({ source: 'agent_replied' })],
  ['active + ownerCleared', active, clearedResume, 'ignored', 'active'],
  ['active + timedResumeDue', active, due, 'not_due', 'active'],

  ['paused(agent) + pause (workflow)', pausedByJane, pause, 'already_paused', 'paused', (s) => expect(s).toMatchObject({ by: jane })],
  ['paused(agent) + resume', pausedByJane, resume, 'resumed', 'active', (s) => expect(s).toEqual({ status: 'active', since: NOW })],
  ['paused(agent) + sendToAi', pausedByJane, send, 'resumed', 'active'],
  ['paused(agent) + requestHandoff', pausedByJane, handoffCmd, 'handoff_requested', 'handoff_requested'],
  ['paused(agent) + same owner again', pausedByJane, janeTakes, 'already_paused', 'paused'],
  ['paused(agent) + another owner', pausedByJane, samTakes, 'already_paused', 'paused', (s) => expect(s).toMatchObject({ by: sam, since: T0 })],
  ['paused(agent) + ownerCleared, policy resume', pausedByJane, clearedResume, 'resumed', 'active'],
  ['paused(agent) + ownerCleared, policy stay', pausedByJane, clearedStay, 'already_paused', 'paused'],
  ['paused(agent) + ownerCleared, policy resume, other side still held', pausedByJane, { ...clearedResume, stillHeldBy: sam }, 'already_paused', 'paused'],
  ['paused(agent) + timedResumeDue', pausedByJane, due, 'not_due', 'paused'],

  ['paused(workflow) + pause again', pausedByWorkflow, pause, 'already_paused', 'paused'],
  ['paused(workflow) + card pause', pausedByWorkflow, pauseCard, 'already_paused', 'paused', (s) => expect(s).toMatchObject({ source: 'card', since: T0 })],
  ['paused(workflow) + agent takes it', pausedByWorkflow, janeTakes, 'already_paused', 'paused', (s) => expect(s).toMatchObject({ source: 'agent_took_ownership', by: jane, since: T0 })],
  ['paused(workflow) + ownerCleared, policy resume', pausedByWorkflow, clearedResume, 'ignored', 'paused'],
  ['paused(until passed) + timedResumeDue', pausedUntil, due, 'resumed', 'active'],
  ['paused(until later) + timedResumeDue', pausedLater, due, 'not_due', 'paused'],

  ['handoff + pause', handoff, pause, 'paused', 'paused'],
  ['handoff + resume', handoff, resume, 'resumed', 'active'],
  ['handoff + sendToAi', handoff, send, 'resumed', 'active'],
  ['handoff + requestHandoff', handoff, handoffCmd, 'already_requested', 'handoff_requested'],
  ['handoff + agent takes it', handoff, janeTakes, 'paused', 'paused', (s) => expect(s).toMatchObject({ source: 'agent_took_ownership' })],
  ['handoff + agentReplied', handoff, janeReplies, 'paused', 'paused'],
  ['handoff + ownerCleared', handoff, clearedResume, 'ignored', 'handoff_requested'],
  ['handoff + timedResumeDue', handoff, due, 'not_due', 'handoff_requested'],
];

describe('decide: every state × every command', () => {
  it.each(table)('%s', (_name, given, when, outcome, status, extra) => {
    const decision = decide(given, when, NOW);
    expect(decision.outcome).toBe(outcome);
    expect(decision.control.state.status).toBe(status);
    extra?.(decision.control.state);
  });

  it.each(table)('%s: a no-op records nothing and asks for nothing', (_name, given, when) => {
    const decision = decide(given, when, NOW);
    const changedStatus = decision.control.state.status !== given.state.status;
    if (!changedStatus && decision.events.length === 0) expect(decision.effects).toEqual([]);
    if (changedStatus) expect(decision.events.length).toBeGreaterThan(0);
  });
});

describe('decide: effects and audit', () => {
  it('pausing sets the ticket property and records who and why', () => {
    const d = decide(active, pause, NOW);
    expect(d.effects).toEqual([{ type: 'setTicketAiStatus', status: 'paused' }]);
    expect(d.events).toEqual([
      { type: 'ai_paused', at: NOW, actor: workflow, detail: { source: 'workflow', reason: 'VIP', until: null, from: 'active' } },
    ]);
  });

  it('a timed pause keeps its end', () => {
    const d = decide(active, { ...pause, until: NOW + 30 * 60_000 }, NOW);
    expect(d.control.state).toMatchObject({ status: 'paused', until: NOW + 30 * 60_000 });
  });

  it('a handoff writes the note, assigns the owner and stage, and sets the property (with the mark, for the request)', () => {
    const d = decide(active, { ...handoffCmd, assignOwnerId: '101', pipelineStage: '3' }, NOW);
    expect(d.effects).toEqual([
      { type: 'setTicketAiStatus', status: 'handoff', handoffRequestId: 'msg-7' },
      // ownerNamed: the handoff leaves the organization's default owner out, the named one follows.
      { type: 'writeHandoffNote', reason: 'angry customer', requestedBy: ai, requestId: 'msg-7', ownerNamed: true },
      { type: 'assignTicketOwner', ownerId: '101' },
      { type: 'setTicketPipelineStage', stage: '3' },
    ]);
    expect(d.control.handoffRequestIds).toEqual(['msg-7']);
    expect(isAiAllowedToReply(d.control)).toBe(false);
  });

  it('a handoff carries the sentiment and language the AI detected into the note effect, and nothing when it gave none', () => {
    const d = decide(active, { ...handoffCmd, sentiment: 'frustrated', language: 'de' }, NOW);
    expect(d.effects[1]).toEqual({ type: 'writeHandoffNote', reason: 'angry customer', requestedBy: ai, requestId: 'msg-7', sentiment: 'frustrated', language: 'de' });
    expect(decide(active, { ...handoffCmd, sentiment: null, language: '' }, NOW).effects[1]).toEqual({
      type: 'writeHandoffNote', reason: 'angry customer', requestedBy: ai, requestId: 'msg-7',
    });
  });

  it('never hands off twice for the same request after a resume (no handoff loop)', () => {
    const first = decide(active, handoffCmd, NOW);
    const resumed = decide(first.control, resume, NOW + 1);
    const again = decide(resumed.control, handoffCmd, NOW + 2);
    expect(again.outcome).toBe('handoff_suppressed');
    expect(again.control.state.status).toBe('active');
    expect(again.effects).toEqual([]);
    expect(again.events.map((e) => e.type)).toEqual(['handoff_suppressed']);
    const other = decide(resumed.control, { ...handoffCmd, requestId: 'msg-8' }, NOW + 3);
    expect(other.outcome).toBe('handoff_requested');
  });

  it('remembers a bounded number of handoff requests', () => {
    let c = initialAiControl();
    for (let i = 0; i < 30; i++) {
      c = decide(c, { ...handoffCmd, requestId: `r${i}` }, NOW + i).control;
      c = decide(c, resume, NOW + i).control;
    }
    expect(c.handoffRequestIds).toHaveLength(20);
    expect(c.handoffRequestIds.at(-1)).toBe('r29');
  });

  it('sendToAi asks the AI to answer whatever the state, and resumes when needed', () => {
    expect(decide(active, send, NOW).effects).toEqual([{ type: 'askAiToReply', instruction: 'offer a refund' }]);
    const d = decide(pausedByJane, send, NOW);
    expect(d.effects).toEqual([
      { type: 'setTicketAiStatus', status: 'active' },
      { type: 'askAiToReply', instruction: 'offer a refund' },
    ]);
    expect(d.events.map((e) => e.type)).toEqual(['ai_resumed', 'sent_to_ai']);
  });

  it('a change of cause while paused is audited but does not touch the ticket', () => {
    const d = decide(pausedByWorkflow, janeTakes, NOW);
    expect(d.events.map((e) => e.type)).toEqual(['pause_cause_changed']);
    expect(d.effects).toEqual([]);
  });

  it('moving between paused and handoff sets the property each time', () => {
    expect(decide(handoff, janeTakes, NOW).effects).toEqual([{ type: 'setTicketAiStatus', status: 'paused' }]);
  });

  it('does not mutate its input', () => {
    const given = JSON.parse(JSON.stringify(pausedByJane)) as AiControl;
    decide(pausedByJane, resume, NOW);
    expect(pausedByJane).toEqual(given);
  });

  it('only an active conversation lets the AI reply', () => {
    expect(isAiAllowedToReply(active)).toBe(true);
    expect(isAiAllowedToReply(pausedByJane)).toBe(false);
    expect(isAiAllowedToReply(handoff)).toBe(false);
  });
});
