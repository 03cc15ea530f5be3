import { describe, expect, it, vi } from 'vitest';
import { createRenderer } from '@hubspot/ui-extensions/testing';
import { Alert, Button, StatusTag } from '@hubspot/ui-extensions';
import { AiStatusView } from './AiStatusView';
import { CardApiError } from './card-api';
import type { AiStateView, CardCommandResult } from './shared-generated/contract';
import { ACTIVE, HANDOFF, NOW, NY, PAUSED_BY_JANE, deferred, fakeApi, resultOf, statusOf } from './testing/card-fixtures';

const PAUSED_FROM_CARD: AiStateView = { ...PAUSED_BY_JANE, source: 'card', since: NOW };

const CASES = [
  {
    button: 'action-pause',
    from: ACTIVE,
    command: { action: 'pause' },
    busy: 'Pausing…',
    result: resultOf('paused', PAUSED_FROM_CARD),
    tagAfter: 'Paused',
    success: { type: 'success', title: 'OpenCX AI paused' },
    failure: 'Could not pause the AI',
  },
  {
    button: 'action-resume',
    from: PAUSED_BY_JANE,
    command: { action: 'resume' },
    busy: 'Resuming…',
    result: resultOf('resumed', { status: 'active', since: NOW }),
    tagAfter: 'Active',
    success: { type: 'success', title: 'OpenCX AI resumed' },
    failure: 'Could not resume the AI',
  },
  {
    button: 'action-request_handoff',
    from: ACTIVE,
    command: { action: 'request_handoff', reason: 'Requested from the OpenCX card in HubSpot' },
    busy: 'Requesting handoff…',
    result: resultOf('handoff_requested', { ...HANDOFF, since: NOW }),
    tagAfter: 'Handoff requested',
    success: { type: 'success', title: 'Handoff requested' },
    failure: 'Could not request a handoff',
  },
] as const;

function renderWith(from: AiStateView) {
  const fake = fakeApi(statusOf(from));
  const addAlert = vi.fn();
  const renderer = createRenderer('crm.record.sidebar');
  renderer.render(<AiStatusView api={fake.api} addAlert={addAlert} timeZone={NY} now={() => NOW} />);
  return { ...renderer, ...fake, addAlert };
}

describe.each(CASES)('$button', ({ button, from, command, busy, result, tagAfter, success, failure }) => {
  it('is disabled, with every other button, while its request is in flight', async () => {
    const r = renderWith(from);
    const pending = deferred<CardCommandResult>();
    r.sendCommand.mockReturnValue(pending.promise);
    await r.waitFor(() => expect(r.findByTestId(Button, button).props.disabled).toBe(false));
    r.findByTestId(Button, button).trigger('onClick');
    await r.waitFor(() => expect(r.findByTestId(Button, button).text).toBe(busy));
    expect(r.findAll(Button).map((b) => b.props.disabled)).toEqual(r.findAll(Button).map(() => true));
    r.findByTestId(Button, button).trigger('onClick'); // a second click must not send a second command
    expect(r.sendCommand).toHaveBeenCalledTimes(1);
    expect(r.sendCommand).toHaveBeenCalledWith(command);
    pending.resolve(result);
    await r.waitFor(() => expect(r.findByTestId(StatusTag, 'ai-status').text).toBe(tagAfter));
  });

  it('shows the new status and a success alert when it succeeds', async () => {
    const r = renderWith(from);
    r.sendCommand.mockResolvedValue(result);
    await r.waitFor(() => expect(r.maybeFindByTestId(Button, button)).not.toBeNull());
    r.findByTestId(Button, button).trigger('onClick');
    await r.waitFor(() => expect(r.findByTestId(StatusTag, 'ai-status').text).toBe(tagAfter));
    expect(r.addAlert).toHaveBeenCalledWith(expect.objectContaining(success));
    expect(r.findAll(Button).every((b) => !b.props.disabled)).toBe(true);
    expect(r.maybeFindByTestId(Alert, 'command-error')).toBeNull();
  });

  it('shows an error alert, keeps the status and enables the buttons again when it fails', async () => {
    const r = renderWith(from);
    r.sendCommand.mockRejectedValue(new CardApiError('reconnect_required', 'refresh token rejected'));
    await r.waitFor(() => expect(r.maybeFindByTestId(Button, button)).not.toBeNull());
    const tagBefore = r.findByTestId(StatusTag, 'ai-status').text;
    r.findByTestId(Button, button).trigger('onClick');
    await r.waitFor(() => expect(r.findByTestId(Alert, 'command-error').props.title).toBe(failure));
    const message = 'OpenCX lost access to HubSpot. An admin must reconnect it in OpenCX Settings → Integrations → HubSpot.';
    expect(r.findByTestId(Alert, 'command-error').text).toBe(message);
    expect(r.addAlert).toHaveBeenCalledWith({ type: 'danger', title: failure, message });
    expect(r.findByTestId(StatusTag, 'ai-status').text).toBe(tagBefore);
    expect(r.findByTestId(Button, button).props.disabled).toBe(false);
  });
});

it('tells the agent when the command changed nothing', async () => {
  const r = renderWith(ACTIVE);
  r.sendCommand.mockResolvedValue(resultOf('already_paused', PAUSED_BY_JANE));
  await r.waitFor(() => expect(r.maybeFindByTestId(Button, 'action-pause')).not.toBeNull());
  r.findByTestId(Button, 'action-pause').trigger('onClick');
  await r.waitFor(() => expect(r.addAlert).toHaveBeenCalledWith(expect.objectContaining({ type: 'info', title: 'Already paused' })));
  expect(r.findByTestId(StatusTag, 'ai-status').text).toBe('Paused');
});
