import type { ChatMessage, ChatSession, Organization } from '@opencx/shared';
import type { Store } from '../src/store/store';
import { TEST_NOW } from './test-deps';

/** Small builders for test records: each test states only the fields it is about. */
export const anOrganization = (overrides: Partial<Organization> = {}): Organization => ({
  id: 'org_1',
  name: 'Acme',
  oauthOnly: false,
  unassignPolicy: 'stay_paused',
  createdAt: TEST_NOW,
  ...overrides,
});

export const aSession = (overrides: Partial<ChatSession> = {}): ChatSession => ({
  id: 'ses_1',
  organizationId: 'org_1',
  portalId: 1001,
  threadId: 'thread_1',
  contactId: 'contact_1',
  channel: 'chat',
  status: 'open',
  createdAt: TEST_NOW,
  updatedAt: TEST_NOW,
  ...overrides,
});

export const aMessage = (overrides: Partial<ChatMessage> = {}): ChatMessage => ({
  id: 'msg_1',
  sessionId: 'ses_1',
  role: 'customer',
  text: 'Hello, where is my order?',
  hubspotMessageId: 'hs_msg_1',
  createdAt: TEST_NOW,
  erasedAt: null,
  ...overrides,
});

/** An organization with one chat session, the starting point of most store and shell tests. */
export async function seedSession(
  store: Store,
  overrides: { organization?: Partial<Organization>; session?: Partial<ChatSession> } = {},
): Promise<{ organization: Organization; session: ChatSession }> {
  const organization = anOrganization(overrides.organization);
  const session = aSession({ organizationId: organization.id, ...overrides.session });
  await store.organizations.create(organization);
  await store.sessions.create(session);
  return { organization, session };
}
