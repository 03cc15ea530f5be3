import { describe, expect, it } from 'vitest';
import type { ConversationMessage } from '../hubspot';
import { classifyMessage } from './message-author';

const APP_ID = 1160452;
const message = (overrides: Partial<ConversationMessage>): ConversationMessage => ({ id: 'm1', type: 'MESSAGE', ...overrides });

describe('classifyMessage', () => {
  it.each([
    ['an incoming message', message({ direction: 'INCOMING', senders: [{ actorId: 'V-101' }] }), { kind: 'customer' }],
    ['a visitor without direction', message({ senders: [{ actorId: 'V-101' }] }), { kind: 'customer' }],
    ['an email from an unknown address', message({ senders: [{ actorId: 'E-someone@example.com' }] }), { kind: 'customer' }],
    [
      "an agent's reply from HubSpot's inbox",
      message({ direction: 'OUTGOING', client: { clientType: 'HUBSPOT' }, senders: [{ actorId: 'A-9586504', name: 'Jane Agent' }] }),
      { kind: 'agent', userId: '9586504', name: 'Jane Agent' },
    ],
    [
      'our reply (sent as an agent, but through our app)',
      message({ direction: 'OUTGOING', client: { clientType: 'INTEGRATION', integrationAppId: APP_ID }, senders: [{ actorId: 'A-1' }] }),
      { kind: 'ours' },
    ],
    [
      'our reply when HubSpot does not name the app',
      message({ direction: 'OUTGOING', client: { clientType: 'INTEGRATION' }, senders: [{ actorId: 'A-1' }] }),
      { kind: 'ours' },
    ],
    [
      "another integration's message",
      message({ direction: 'OUTGOING', client: { clientType: 'INTEGRATION', integrationAppId: 5 }, senders: [{ actorId: 'A-1' }] }),
      { kind: 'other', why: 'posted by another integration (5)' },
    ],
    ['a system message', message({ senders: [{ actorId: 'S-hubspot' }] }), { kind: 'other', why: 'sender S-hubspot' }],
  ])('%s', (_name, input, expected) => {
    expect(classifyMessage(input, APP_ID)).toEqual(expected);
  });
});
