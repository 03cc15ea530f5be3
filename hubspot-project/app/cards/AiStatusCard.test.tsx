import { describe, expect, it, vi } from 'vitest';
import { createRenderer } from '@hubspot/ui-extensions/testing';
import { StatusTag, Text } from '@hubspot/ui-extensions';
import { AiStatusCard } from './AiStatusCard';
import type { CardFetch } from './card-api';
import { BACKEND_ORIGIN } from './shared-generated/backend-origin';
import { NOW, PAUSED_BY_WORKFLOW, statusOf } from './testing/card-fixtures';

const fetchReturning = (body: unknown) =>
  vi.fn<CardFetch>(async () => ({ ok: true, status: 200, json: async () => body }));

describe.each(['crm.record.sidebar', 'helpdesk.sidebar'] as const)('the card entrypoint in %s', (location) => {
  it('loads the status of the record from the profile origin, in the portal timezone', async () => {
    const { render, mocks, waitFor, findByTestId } = createRenderer(location);
    const fetch = fetchReturning(statusOf(PAUSED_BY_WORKFLOW));
    mocks.context.portal.timezone = 'Europe/Berlin';
    render(<AiStatusCard context={mocks.context} addAlert={mocks.actions.addAlert} fetch={fetch} now={() => NOW} />);
    await waitFor(() => expect(findByTestId(StatusTag, 'ai-status').text).toBe('Paused'));
    // 18:30 UTC is 19:30 in Berlin: the time follows the portal, not the machine running the test.
    expect(findByTestId(Text, 'ai-headline').text).toBe('Paused by workflow until 19:30');
    const { crm, portal, user } = mocks.context;
    const query = new URLSearchParams({
      ticketId: String(crm.objectId),
      portalId: String(portal.id),
      userId: String(user.id),
      userEmail: user.email,
    });
    expect(fetch).toHaveBeenCalledWith(`${BACKEND_ORIGIN}/hubspot/card/ai-status?${query.toString()}`, { method: 'GET' });
    expect(fetch).toHaveBeenCalledTimes(1);
  });

  it('prefers the BACKEND_URL profile variable when HubSpot provides it', async () => {
    const { render, mocks, waitFor } = createRenderer(location);
    const fetch = fetchReturning(statusOf(PAUSED_BY_WORKFLOW));
    mocks.context.variables = { BACKEND_URL: 'https://opencx.customer.test' };
    render(<AiStatusCard context={mocks.context} addAlert={mocks.actions.addAlert} fetch={fetch} now={() => NOW} />);
    await waitFor(() => expect(fetch).toHaveBeenCalled());
    expect(fetch.mock.calls[0]?.[0]).toMatch(/^https:\/\/opencx\.customer\.test\/hubspot\/card\/ai-status\?/);
  });
});
