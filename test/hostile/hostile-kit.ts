// The setting of the hostile-input tests: the real app (createApp) on a temporary database, called in-process,
// with HubSpot credentials pointing at a listening sandbox; two connected portals whose data must never change
// under hostile input; an organization with a signed-in admin for the browser pages; and the checks every answer
// must pass (never a 5xx, a JSON error from the API, a sound database afterwards).
import type { ChatSession } from '@opencx/shared';
import { signInAdmin, type SignedInAdmin } from '@opencx/server/testing/admin-test-support';
import { applyAiCommand } from '@opencx/server/ai-control/apply-command';
import { createApp } from '@opencx/server/app';
import { createTestDeps, type TestDeps } from '@opencx/server/testing/test-deps';
import type { Hono } from 'hono';
import { expect } from 'vitest';
import { createSandbox, signV3, type Sandbox } from '../sandbox/index';
import { integrityCheck, withReadOnlyDb } from '../support/sqlite-readonly';

export const PORTAL_A = 62515;
export const PORTAL_B = 73626;
/** Installed in the sandbox, never connected to OpenCX. */
export const PORTAL_C = 84737;

export interface SeededTenant {
  portalId: number;
  organizationId: string;
  session: ChatSession;
  ticketId: string;
  contactId: string;
  threadId: string;
  /** Text only this tenant's rows hold: it must never appear in an answer to another tenant. */
  secretText: string;
}

export interface Hostile {
  sandbox: Sandbox;
  deps: TestDeps;
  app: Hono;
  a: SeededTenant;
  b: SeededTenant;
  admin: SignedInAdmin;
  publicBaseUrl: string;
  secret: string;
  close(): Promise<void>;
}

export async function startHostile(): Promise<Hostile> {
  const sandbox = createSandbox({ seedDemoPortal: true });
  const listening = await sandbox.listen(0);
  sandbox.control.createPortal({ portalId: PORTAL_B });
  sandbox.control.createPortal({ portalId: PORTAL_C });
  sandbox.control.installApp({ portalId: PORTAL_C });
  const app = sandbox.appCredentials;
  const deps = createTestDeps({
    now: Date.now(),
    env: {
      HUBSPOT_CLIENT_ID: app.clientId,
      HUBSPOT_CLIENT_SECRET: app.clientSecret,
      HUBSPOT_APP_ID: String(app.appId),
      HUBSPOT_API_BASE_URL: listening.url,
      HUBSPOT_AUTHORIZE_URL: `${listening.url}/oauth/authorize`,
    },
  });
  const honoApp = createApp(deps) as unknown as Hono;
  const a = await seedTenant(deps, sandbox, PORTAL_A, 'alpha');
  const b = await seedTenant(deps, sandbox, PORTAL_B, 'bravo');
  const admin = await signInAdmin(deps, createApp(deps), { organizationName: 'Charlie', email: 'admin@charlie.test' });
  return {
    sandbox,
    deps,
    app: honoApp,
    a,
    b,
    admin,
    publicBaseUrl: deps.config.publicBaseUrl,
    secret: app.clientSecret,
    async close() {
      await deps.cleanup();
      await listening.close();
      await sandbox.close();
    },
  };
}

/**
 * A connected organization with a conversation linked to a sandbox ticket, its history, a pause, a signature.
 * Both tenants use the same thread and contact ids on purpose: ids are only unique within a portal.
 */
async function seedTenant(deps: TestDeps, sandbox: Sandbox, portalId: number, name: string): Promise<SeededTenant> {
  const { store } = deps;
  const now = deps.clock.now();
  const organizationId = `org_${name}`;
  const users = Object.values(sandbox.state.portals[String(portalId)]!.users);
  const tokens = sandbox.control.installApp({ portalId, userId: users[0]!.userId });
  await store.organizations.create({ id: organizationId, name, oauthOnly: false, unassignPolicy: 'stay_paused', createdAt: now });
  await store.connections.saveOAuthConnection(
    {
      organizationId,
      portalId,
      connectedBy: { hubspotUserId: users[0]!.userId, email: null },
      scopes: [],
      hubDomain: null,
      tokens: { accessToken: tokens.accessToken, refreshToken: tokens.refreshToken, expiresAt: now + tokens.expiresIn * 1000 },
    },
    now,
  );
  const ticket = sandbox.control.createTicket({ portalId, subject: `${name} order` });
  const threadId = '5550001';
  const contactId = '4440001';
  const secretText = `secret of ${name}: card 4111-${portalId}`;
  const session: ChatSession = {
    id: `ses_${name}`,
    organizationId,
    portalId,
    threadId,
    contactId,
    channel: 'email',
    status: 'open',
    createdAt: now,
    updatedAt: now,
  };
  await store.sessions.create(session);
  await store.chatHistory.append({ id: `msg_${name}_1`, sessionId: session.id, role: 'customer', text: secretText, hubspotMessageId: `hs_${name}_1`, createdAt: now, erasedAt: null });
  await store.chatHistory.append({ id: `msg_${name}_2`, sessionId: session.id, role: 'ai', text: `AI reply for ${name}`, hubspotMessageId: `hs_${name}_2`, createdAt: now + 1, erasedAt: null });
  await store.ticketLinks.link({ portalId, ticketId: ticket.id, sessionId: session.id }, now);
  await store.signatures.save({ organizationId, enabled: true, text: `— ${name} support`, updatedAt: now });
  await applyAiCommand(deps, session.id, { type: 'pause', source: 'workflow', by: { kind: 'workflow', id: '1', name: null }, reason: `${name} reason`, until: null }, now);
  return { portalId, organizationId, session, ticketId: ticket.id, contactId, threadId, secretText };
}

/**
 * Every row of the tables that hold tenants' data (what hostile input must never change or lose). Not the inbox
 * nor the record of answered workflow-action calls: every validly signed call adds to those.
 */
export const PROTECTED_TABLES = [
  'organizations',
  'hubspot_connections',
  'chat_sessions',
  'chat_history',
  'ticket_links',
  'signature_settings',
  'ai_control',
  'ai_control_events',
  'effects_outbox',
  'admins',
] as const;

export function snapshot(h: Hostile): Record<string, unknown[]> {
  return withReadOnlyDb(h.deps.config.databasePath, (db) =>
    Object.fromEntries(PROTECTED_TABLES.map((t) => [t, db.prepare(`SELECT * FROM ${t} ORDER BY rowid`).all()])),
  );
}

export function expectDatabaseSound(h: Hostile): void {
  expect(integrityCheck(h.deps.config.databasePath)).toBe('ok');
  const fk = withReadOnlyDb(h.deps.config.databasePath, (db) => db.pragma('foreign_key_check') as unknown[]);
  expect(fk).toEqual([]);
}

/** The headers HubSpot would send for this request (v3 over PUBLIC_BASE_URL + path and query). */
export function signed(h: Hostile, method: string, pathAndQuery: string, body = '', timestamp = h.deps.clock.now()): Record<string, string> {
  return {
    'X-HubSpot-Signature-v3': signV3(h.secret, method, `${h.publicBaseUrl}${pathAndQuery}`, body, timestamp),
    'X-HubSpot-Request-Timestamp': String(timestamp),
  };
}

export async function request(h: Hostile, method: string, path: string, init: { headers?: Record<string, string>; body?: string | Uint8Array } = {}): Promise<Response> {
  const hasBody = init.body !== undefined && method !== 'GET' && method !== 'HEAD';
  return h.app.request(path, { method, headers: init.headers ?? {}, ...(hasBody ? { body: init.body as string | Uint8Array<ArrayBuffer> } : {}) });
}

/** Paths answered by HTML pages for a browser; everything else is an API that answers JSON errors. */
export const isBrowserPath = (path: string) => /^\/(oauth|settings|admin)(\/|$|\?)/.test(path);

export interface Answer {
  status: number;
  contentType: string;
  text: string;
}

export async function read(res: Response): Promise<Answer> {
  return { status: res.status, contentType: res.headers.get('content-type') ?? '', text: await res.text() };
}

/**
 * The rule for every answer to anything: never a 5xx; an API error is `{"error":{"code","message"}}` JSON; a
 * browser page may be HTML. Returns a problem description, or null.
 */
export function problemWith(path: string, answer: Answer, method = 'GET'): string | null {
  if (answer.status >= 500) return `${answer.status} ${answer.text.slice(0, 300)}`;
  // A HEAD answer has headers only (the status still says what a GET would).
  if (answer.status < 400 || method === 'HEAD') return null;
  if (answer.contentType.includes('application/json')) {
    try {
      const body = JSON.parse(answer.text) as { error?: { code?: unknown; message?: unknown } };
      if (typeof body.error?.code !== 'string' || typeof body.error.message !== 'string') return `error body without code/message: ${answer.text.slice(0, 200)}`;
      return null;
    } catch {
      return `invalid JSON error body: ${answer.text.slice(0, 200)}`;
    }
  }
  if (isBrowserPath(path) && answer.contentType.includes('text/html')) return null;
  return `${answer.status} without a JSON error (${answer.contentType}): ${answer.text.slice(0, 200)}`;
}
