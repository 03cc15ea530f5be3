// Helpers for the workflow-action and card tests: an app with HubSpot app credentials, hand-signed requests
// (HubSpot's published algorithms, written independently of the verifier), and seeded conversations.
import { createHash, createHmac } from 'node:crypto';
import type { ChatSession, Organization } from '@opencx/shared';
import type { Services } from '../src/services';
import type { Store } from '../src/store/store';
import { aSession, anOrganization } from './fixtures';
import { createTestDeps, TEST_NOW, type TestDeps } from './test-deps';

export const SECRET = 'test-client-secret';
export const BASE = 'https://opencx.example.com';

/** Test deps whose HubSpot API is a closed port: any HubSpot call fails at once (connection refused). */
export function createSignedTestDeps(services: Partial<Services> = {}): TestDeps {
  return createTestDeps({
    env: {
      PUBLIC_BASE_URL: BASE,
      HUBSPOT_CLIENT_ID: 'cid',
      HUBSPOT_CLIENT_SECRET: SECRET,
      HUBSPOT_APP_ID: '7',
      HUBSPOT_API_BASE_URL: 'http://127.0.0.1:1',
    },
    services,
  });
}

/** v3 signs the URL with a few escapes decoded (HubSpot's validating-requests table), e.g. %40 → @. */
const decodeForV3 = (url: string) =>
  url.replace(/%(3A|2F|3F|40|21|24|27|28|29|2A|2C|3B)/gi, (escape) => decodeURIComponent(escape));
export const signV3 = (method: string, url: string, body: string, timestamp: number) =>
  createHmac('sha256', SECRET).update(method + decodeForV3(url) + body + timestamp).digest('base64');
export const signV2 = (method: string, url: string, body: string) =>
  createHash('sha256').update(SECRET + method + url + body).digest('hex');

/** Headers HubSpot sends: v3 (with its timestamp) and the legacy v2, both over the public URL. */
export function hubspotHeaders(method: string, path: string, body: string, timestamp = TEST_NOW): Record<string, string> {
  const url = BASE + path;
  return {
    'content-type': 'application/json',
    'x-hubspot-signature-v3': signV3(method, url, body, timestamp),
    'x-hubspot-request-timestamp': String(timestamp),
    'x-hubspot-signature': signV2(method, url, body),
    'x-hubspot-signature-version': 'v2',
  };
}

export interface ActionBodyInput {
  callbackId?: string;
  portalId?: number;
  objectType?: 'TICKET' | 'CONTACT';
  objectId?: string | number;
  inputFields?: Record<string, unknown>;
  workflowId?: number;
}

export const PORTAL = 1001;

export function actionBody(input: ActionBodyInput = {}): Record<string, unknown> {
  return {
    callbackId: input.callbackId ?? 'ap-1001-1-1-0',
    origin: { portalId: input.portalId ?? PORTAL, actionDefinitionId: 10646377, actionDefinitionVersion: 1 },
    context: { source: 'WORKFLOWS', workflowId: input.workflowId ?? 4242 },
    object: { objectId: Number(input.objectId ?? 5001), objectType: input.objectType ?? 'TICKET', properties: {} },
    inputFields: input.inputFields ?? {},
  };
}

/** An organization connected over OAuth to `portalId` (tokens are placeholders: no test here calls HubSpot). */
export async function connectOrganization(
  store: Store,
  overrides: { organization?: Partial<Organization>; portalId?: number; authMode?: 'oauth' | 'private_app' } = {},
): Promise<Organization> {
  const organization = anOrganization({ id: `org_${overrides.portalId ?? PORTAL}`, ...overrides.organization });
  await store.organizations.create(organization);
  const details = { organizationId: organization.id, portalId: overrides.portalId ?? PORTAL, connectedBy: { hubspotUserId: 1, email: 'admin@example.com' }, scopes: ['oauth'], hubDomain: null };
  if (overrides.authMode === 'private_app') await store.connections.savePrivateAppConnection({ ...details, token: 'pat-na1-00000000-0000-0000-0000-000000000000' }, TEST_NOW);
  else await store.connections.saveOAuthConnection({ ...details, tokens: { accessToken: 'at', refreshToken: 'rt', expiresAt: TEST_NOW + 3_600_000 } }, TEST_NOW);
  return organization;
}

/** A conversation of the organization, linked to a ticket when `ticketId` is given. */
export async function seedConversation(
  store: Store,
  session: Partial<ChatSession> & { id: string; organizationId: string },
  ticketId?: string,
): Promise<ChatSession> {
  const created = aSession({ portalId: PORTAL, threadId: `thread_${session.id}`, ...session });
  await store.sessions.create(created);
  if (ticketId) await store.ticketLinks.link({ portalId: created.portalId, ticketId, sessionId: created.id }, TEST_NOW);
  return created;
}
