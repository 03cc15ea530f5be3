import { decide, initialAiControl, type AiCommand, type Decision } from '@opencx/shared';
import { describe, expect, it } from 'vitest';
import { summarizeDecisions } from './action-answers';

const by = { kind: 'workflow' as const, id: '1', name: null };
const pause: AiCommand = { type: 'pause', source: 'workflow', by, reason: null, until: null };
const active = initialAiControl();
const paused = decide(active, pause, 1).control;
const on = (control = active): Decision => decide(control, pause, 2);

describe('summarizeDecisions (one answer for several conversations)', () => {
  it.each([
    { given: [on()], then: { aiStatus: 'paused', outcome: 'paused' } },
    { given: [on(paused), on()], then: { aiStatus: 'paused', outcome: 'paused' } },
    { given: [on(paused), on(paused)], then: { aiStatus: 'paused', outcome: 'already_paused' } },
  ])('$then.outcome', ({ given, then }) => {
    expect(summarizeDecisions(given)).toEqual(then);
  });

  it('needs at least one decision', () => {
    expect(() => summarizeDecisions([])).toThrow();
  });
});
