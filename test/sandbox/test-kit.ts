// Helpers for the sandbox's own tests: a fixture HubSpot project, a tiny receiver standing in for our
// backend, and a browser-like walk through the consent screen.
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import { existsSync, mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSandbox, type Sandbox, type SandboxOptions } from './index';

export const REDIRECT_PATH = '/oauth/callback';
export const SCOPES = ['oauth', 'tickets', 'conversations.read', 'conversations.write', 'crm.objects.owners.read', 'crm.objects.contacts.read', 'automation'];

// One shared fixture folder (bump the suffix when its content changes). Workers build it in a private temp
// folder and rename it into place, so no worker ever reads a half-written file.
const FIXTURE_DIR = join(tmpdir(), 'opencx-hs-sandbox-fixture-v1');

/** A project folder shaped like hubspot-project/ with `${BACKEND_URL}` placeholders, as the real one has. */
export function makeProjectDir(): string {
  if (existsSync(FIXTURE_DIR)) return FIXTURE_DIR;
  const staging = writeProjectDir();
  try {
    renameSync(staging, FIXTURE_DIR);
  } catch {
    rmSync(staging, { recursive: true, force: true }); // another worker won the race
  }
  return FIXTURE_DIR;
}

function writeProjectDir(): string {
  const root = mkdtempSync(join(tmpdir(), 'hs-sandbox-'));
  const app = join(root, 'hubspot-project', 'app');
  mkdirSync(join(app, 'webhooks'), { recursive: true });
  mkdirSync(join(app, 'workflow-actions'), { recursive: true });
  const write = (path: string, value: unknown) => writeFileSync(join(app, path), JSON.stringify(value, null, 2));
  write('app-hsmeta.json', {
    uid: 'fixture_app', type: 'app',
    config: { name: 'Fixture App', auth: { type: 'oauth', redirectUrls: ['${BACKEND_URL}/oauth/callback'], requiredScopes: SCOPES, optionalScopes: ['crm.objects.contacts.write'], conditionallyRequiredScopes: [] } },
  });
  write('webhooks/webhooks-hsmeta.json', {
    uid: 'fixture_webhooks', type: 'webhooks',
    config: {
      settings: { targetUrl: '${BACKEND_URL}/hubspot/webhooks', maxConcurrentRequests: 10 },
      subscriptions: {
        crmObjects: [
          { subscriptionType: 'object.creation', objectType: 'ticket', active: true },
          { subscriptionType: 'object.deletion', objectType: 'ticket', active: true },
          { subscriptionType: 'object.propertyChange', objectType: 'ticket', propertyName: 'hubspot_owner_id', active: true },
        ],
        legacyCrmObjects: [{ subscriptionType: 'ticket.propertyChange', propertyName: 'hubspot_owner_id', active: true }],
        hubEvents: [
          { subscriptionType: 'conversation.creation', active: true },
          { subscriptionType: 'conversation.deletion', active: true },
          { subscriptionType: 'conversation.privacyDeletion', active: true },
          { subscriptionType: 'conversation.newMessage', active: true },
          { subscriptionType: 'conversation.propertyChange', propertyName: 'assignedTo', active: true },
          { subscriptionType: 'contact.privacyDeletion', active: true },
        ],
      },
    },
  });
  for (const name of ['pause-ai', 'resume-ai', 'send-to-ai', 'request-handoff']) {
    write(`workflow-actions/${name}-hsmeta.json`, {
      uid: `fixture_${name.replace(/-/g, '_')}`, type: 'workflow-action',
      config: {
        actionUrl: `\${BACKEND_URL}/hubspot/actions/${name}`,
        objectTypes: ['TICKET', 'CONTACT'],
        objectRequestOptions: { properties: ['hubspot_owner_id', 'subject'] },
        inputFields: [{ typeDefinition: { name: 'reason', type: 'string', fieldType: 'text' }, supportedValueTypes: ['STATIC_VALUE'], isRequired: false }],
        outputFields: [{ typeDefinition: { name: 'outcome', type: 'string', fieldType: 'text' } }],
        labels: { en: { actionName: name } },
      },
    });
  }
  return root;
}

export interface Received {
  method: string;
  url: string;
  path: string;
  headers: Record<string, string>;
  body: string;
  at: number;
}

export interface Receiver {
  url: string;
  requests: Received[];
  /** Decides the response per request; default 200 `{}`. */
  respond: (req: Received, c: { json: (body: unknown, status?: number) => Response }) => Response | Promise<Response>;
  close(): Promise<void>;
}

/** A stand-in for our backend: records every request with its raw body and answers via `respond`. */
export async function startReceiver(): Promise<Receiver> {
  const app = new Hono();
  const receiver: Receiver = { url: '', requests: [], respond: (_req, c) => c.json({}), close: async () => {} };
  app.all('*', async (c) => {
    const headers: Record<string, string> = {};
    c.req.raw.headers.forEach((v, k) => { headers[k] = v; });
    const req: Received = { method: c.req.method, url: c.req.url, path: c.req.path, headers, body: await c.req.text(), at: Date.now() };
    receiver.requests.push(req);
    return receiver.respond(req, { json: (body, status = 200) => c.json(body, status as 200) });
  });
  const server = await new Promise<ReturnType<typeof serve>>((resolve) => {
    const s = serve({ fetch: app.fetch, hostname: '127.0.0.1', port: 0 }, () => resolve(s));
  });
  receiver.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  receiver.close = () => new Promise<void>((resolve) => {
    server.close(() => resolve());
    (server as unknown as { closeAllConnections(): void }).closeAllConnections();
  });
  return receiver;
}

export interface Harness {
  sandbox: Sandbox;
  url: string;
  receiver: Receiver;
  close(): Promise<void>;
}

/** A listening sandbox wired to a fresh receiver through BACKEND_URL, with fast delivery settings. */
export async function startHarness(options: SandboxOptions = {}): Promise<Harness> {
  const receiver = await startReceiver();
  const sandbox = createSandbox({
    projectDir: makeProjectDir(),
    profileVariables: { BACKEND_URL: receiver.url },
    ...options,
    webhook: { batchWindowMs: 20, retryDelaysMs: [30, 60, 90], timeoutMs: 1000, ...options.webhook },
    actions: { retryDelaysMs: [30, 60], maxRetries: 2, timeoutMs: 1000, ...options.actions },
  });
  const server = await sandbox.listen(0);
  return {
    sandbox, url: server.url, receiver,
    close: async () => {
      await sandbox.close();
      await server.close();
      await receiver.close();
    },
  };
}

export const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });

/** An in-process API call with a bearer token and a JSON body; the answer's status, headers and parsed body. */
export async function callApi(sandbox: { app: { request(path: string, init: RequestInit): Response | Promise<Response> } }, token: string, path: string, init: { method?: string; body?: unknown } = {}) {
  const res = await sandbox.app.request(path, {
    method: init.method ?? 'GET',
    headers: { ...bearer(token), 'Content-Type': 'application/json' },
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : undefined };
}

/** Walks the consent screen like a browser: GET the page, submit the Approve (or Deny) form, read the redirect. */
export async function authorizeInBrowser(input: {
  sandboxUrl: string; clientId: string; redirectUri: string; scopes?: string[]; state?: string;
  decision?: 'approve' | 'deny'; portalId?: number; userId?: number; optionalScopes?: string[];
}): Promise<{ page: string; location: URL }> {
  const query = new URLSearchParams({ client_id: input.clientId, redirect_uri: input.redirectUri, scope: (input.scopes ?? SCOPES).join(' ') });
  if (input.optionalScopes) query.set('optional_scope', input.optionalScopes.join(' '));
  if (input.state) query.set('state', input.state);
  const res = await fetch(`${input.sandboxUrl}/oauth/authorize?${query}`);
  const page = await res.text();
  if (res.status !== 200) throw new Error(`consent page answered ${res.status}: ${page}`);
  const form = new URLSearchParams();
  for (const m of page.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)) form.set(m[1]!, decodeEntities(m[2]!));
  const firstOption = (id: string) => new RegExp(`id="${id}"[^>]*><option value="([^"]+)"`).exec(page)?.[1];
  form.set('portal', String(input.portalId ?? firstOption('consent-portal')));
  form.set('user', String(input.userId ?? firstOption('consent-user')));
  for (const s of input.optionalScopes ?? []) form.append('optional_scope', s);
  form.set('decision', input.decision ?? 'approve');
  const submit = await fetch(`${input.sandboxUrl}/oauth/authorize`, {
    method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: form.toString(), redirect: 'manual',
  });
  if (submit.status !== 302) throw new Error(`consent submit answered ${submit.status}: ${await submit.text()}`);
  return { page, location: new URL(submit.headers.get('location')!) };
}

const decodeEntities = (s: string) => s.replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');

export const waitFor = async (check: () => boolean, timeoutMs = 3000): Promise<void> => {
  const started = Date.now();
  while (!check()) {
    if (Date.now() - started > timeoutMs) throw new Error('waitFor: condition not met in time');
    await new Promise((r) => setTimeout(r, 10));
  }
};

export { createSandbox };
