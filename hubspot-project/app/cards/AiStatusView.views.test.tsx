import { describe, expect, it, vi } from 'vitest';
import { createRenderer } from '@hubspot/ui-extensions/testing';
import { Button, EmptyState, ErrorState, LoadingSpinner, StatusTag, Text } from '@hubspot/ui-extensions';
import { AiStatusView } from './AiStatusView';
import { CardApiError } from './card-api';
import type { CardStatus } from './shared-generated/contract';
import {
  ACTIVE,
  HANDOFF,
  NOW,
  NY,
  PAUSED_BY_JANE,
  PAUSED_BY_WORKFLOW,
  deferred,
  fakeApi,
  minutesAgo,
  statusOf,
} from './testing/card-fixtures';

const renderView = (initial: CardStatus | Promise<CardStatus>, setup?: (fake: ReturnType<typeof fakeApi>) => void) => {
  const fake = fakeApi(initial);
  setup?.(fake);
  const renderer = createRenderer('crm.record.sidebar');
  renderer.render(<AiStatusView api={fake.api} addAlert={vi.fn()} timeZone={NY} now={() => NOW} />);
  return { ...renderer, ...fake };
};

const buttonLabels = (r: ReturnType<typeof renderView>) => r.findAll(Button).map((b) => b.text);

describe('AiStatusView views', () => {
  it('shows a spinner while the status loads', () => {
    const r = renderView(deferred<CardStatus>().promise);
    expect(r.find(LoadingSpinner).props.label).toBe('Loading OpenCX AI status');
  });

  it('shows an error with a retry that loads again', async () => {
    const r = renderView(statusOf(ACTIVE), ({ loadStatus }) =>
      loadStatus.mockRejectedValueOnce(new CardApiError('network_error', 'fetch failed')),
    );
    await r.waitFor(() => expect(r.findByTestId(ErrorState, 'load-error').props.title).toBe('Could not load the OpenCX AI status'));
    expect(r.findByTestId(ErrorState, 'load-error').find(Text).text).toBe('OpenCX could not be reached. Try again in a moment.');
    r.findByTestId(Button, 'retry').trigger('onClick');
    await r.waitFor(() => expect(r.findByTestId(StatusTag, 'ai-status').text).toBe('Active'));
    expect(r.loadStatus).toHaveBeenCalledTimes(2);
  });

  it('says when the portal is not connected to OpenCX', async () => {
    const r = renderView({ view: 'not_connected', portalId: 62515 });
    await r.waitFor(() =>
      expect(r.findByTestId(EmptyState, 'not-connected').props.title).toBe('This HubSpot account is not connected to OpenCX'),
    );
    expect(r.maybeFind(Button)).toBeNull();
  });

  it('says when the connection must be reconnected, with HubSpot\'s reason', async () => {
    const reason = 'HubSpot refused the Private App access token: it was rotated, or the Private App was deleted.';
    const r = renderView({ view: 'reconnect_required', portalId: 62515, reason });
    await r.waitFor(() => expect(r.findByTestId(ErrorState, 'reconnect-required').props.title).toBe('Reconnect required'));
    expect(r.findAll(Text).map((t) => t.text)).toEqual(expect.arrayContaining([reason]));
    expect(r.maybeFind(Button)).toBeNull();
  });

  it('says when the ticket has no AI conversation', async () => {
    const r = renderView({ view: 'no_conversation', ticketId: '1145814089' });
    await r.waitFor(() => expect(r.findByTestId(EmptyState, 'no-conversation').props.title).toBe('No AI conversation on this ticket'));
    expect(r.maybeFind(Button)).toBeNull();
  });

  it.each([
    {
      name: 'active, with the last reply',
      status: statusOf(ACTIVE, { text: 'Your refund is on its way.', at: minutesAgo(2) }),
      tag: ['Active', 'success'],
      headline: 'OpenCX AI answers this conversation',
      reason: null,
      reply: 'Your refund is on its way.',
      when: '2 min ago',
      buttons: ['Pause AI', 'Request handoff'],
    },
    {
      name: 'paused because an agent took ownership',
      status: statusOf(PAUSED_BY_JANE),
      tag: ['Paused', 'warning'],
      headline: 'Paused: Jane took ownership, 3 min ago',
      reason: null,
      reply: 'The AI has not replied yet.',
      when: null,
      buttons: ['Resume AI', 'Request handoff'],
    },
    {
      name: 'paused by a workflow until a time',
      status: statusOf(PAUSED_BY_WORKFLOW),
      tag: ['Paused', 'warning'],
      headline: 'Paused by workflow until 14:30',
      reason: 'Reason: VIP customer',
      reply: 'The AI has not replied yet.',
      when: null,
      buttons: ['Resume AI', 'Request handoff'],
    },
    {
      name: 'handoff requested',
      status: statusOf(HANDOFF),
      tag: ['Handoff requested', 'danger'],
      headline: 'Handoff requested by OpenCX AI, 12 min ago',
      reason: 'Reason: Customer asked for a human',
      reply: 'The AI has not replied yet.',
      when: null,
      buttons: ['Resume AI'],
    },
  ])('shows $name', async ({ status, tag, headline, reason, reply, when, buttons }) => {
    const r = renderView(status);
    await r.waitFor(() => expect(r.findByTestId(StatusTag, 'ai-status').text).toBe(tag[0]));
    expect(r.findByTestId(StatusTag, 'ai-status').props.variant).toBe(tag[1]);
    expect(r.findByTestId(Text, 'ai-headline').text).toBe(headline);
    expect(r.maybeFindByTestId(Text, 'ai-reason')?.text ?? null).toBe(reason);
    expect(r.findByTestId(Text, 'last-reply').text).toBe(reply);
    expect(r.maybeFindByTestId(Text, 'last-reply-when')?.text ?? null).toBe(when);
    expect(buttonLabels(r)).toEqual(buttons);
    expect(r.findAll(Button).every((b) => !b.props.disabled)).toBe(true);
  });
});
