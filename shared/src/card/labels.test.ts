import { describe, expect, it } from 'vitest';
import { CARD_ACTIONS, cardCommandResultSchema } from './contract';
import { cardButtons, commandErrorAlert, errorMessageOf, outcomeAlert, statusTagOf } from './labels';

describe('statusTagOf', () => {
  it.each([
    { status: 'active', text: 'Active', variant: 'success' },
    { status: 'paused', text: 'Paused', variant: 'warning' },
    { status: 'handoff_requested', text: 'Handoff requested', variant: 'danger' },
  ] as const)('$status → $text ($variant)', ({ status, text, variant }) => {
    expect(statusTagOf(status)).toEqual({ text, variant });
  });
});

describe('cardButtons', () => {
  const view = (buttons: ReturnType<typeof cardButtons>) => buttons.map((b) => `${b.label}${b.disabled ? ' (disabled)' : ''}`);
  it.each([
    { status: 'active', inFlight: null, then: ['Pause AI', 'Request handoff'] },
    { status: 'paused', inFlight: null, then: ['Resume AI', 'Request handoff'] },
    { status: 'handoff_requested', inFlight: null, then: ['Resume AI'] },
    { status: 'active', inFlight: 'pause', then: ['Pausing… (disabled)', 'Request handoff (disabled)'] },
    { status: 'paused', inFlight: 'resume', then: ['Resuming… (disabled)', 'Request handoff (disabled)'] },
    { status: 'paused', inFlight: 'request_handoff', then: ['Resume AI (disabled)', 'Requesting handoff… (disabled)'] },
  ] as const)('$status, in flight $inFlight → $then', ({ status, inFlight, then }) => {
    expect(view(cardButtons(status, inFlight))).toEqual(then);
  });

  it('offers each action in some status', () => {
    const offered = new Set(
      (['active', 'paused', 'handoff_requested'] as const).flatMap((s) => cardButtons(s, null).map((b) => b.action)),
    );
    expect([...offered].sort()).toEqual([...CARD_ACTIONS].sort());
  });
});

describe('outcomeAlert', () => {
  it.each(cardCommandResultSchema.shape.outcome.options)('has a non-empty alert for %s', (outcome) => {
    const alert = outcomeAlert(outcome);
    expect(alert.title.length).toBeGreaterThan(0);
    expect(alert.message.length).toBeGreaterThan(0);
  });

  it.each([
    { outcome: 'paused', type: 'success', title: 'OpenCX AI paused' },
    { outcome: 'already_paused', type: 'info', title: 'Already paused' },
    { outcome: 'resumed', type: 'success', title: 'OpenCX AI resumed' },
    { outcome: 'handoff_requested', type: 'success', title: 'Handoff requested' },
    { outcome: 'handoff_suppressed', type: 'warning', title: 'Handoff not repeated' },
  ] as const)('$outcome → $type "$title"', ({ outcome, type, title }) => {
    expect(outcomeAlert(outcome)).toMatchObject({ type, title });
  });
});

describe('error texts', () => {
  it.each([
    { error: { code: 'network_error', message: 'fetch failed' }, then: 'OpenCX could not be reached. Try again in a moment.' },
    { error: { code: 'not_oauth', message: 'x' }, then: expect.stringContaining('legacy Private App') },
    { error: { code: 'unknown_portal', message: 'x' }, then: 'This HubSpot account is not connected to OpenCX.' },
    { error: { code: 'validation_failed', message: 'reason is too long' }, then: 'reason is too long' },
    { error: { code: 'internal', message: '  ' }, then: 'Something went wrong. Try again.' },
  ])('$error.code → $then', ({ error, then }) => {
    expect(errorMessageOf(error)).toEqual(then);
  });

  it.each([
    { action: 'pause', title: 'Could not pause the AI' },
    { action: 'resume', title: 'Could not resume the AI' },
    { action: 'request_handoff', title: 'Could not request a handoff' },
  ] as const)('$action failure → "$title"', ({ action, title }) => {
    expect(commandErrorAlert(action, { code: 'network_error', message: '' })).toEqual({
      type: 'danger',
      title,
      message: 'OpenCX could not be reached. Try again in a moment.',
    });
  });
});
