// The whole story through the sandbox only: a tiny receiver stands in for our backend.
import { Client, Signature } from '@hubspot/api-client';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { authorizeInBrowser, REDIRECT_PATH, startHarness, waitFor, type Harness } from './test-kit';
import type { WebhookEvent } from './index';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.close());

const control = async (op: string, body: unknown) => {
  const res = await fetch(`${h.url}/_sandbox/${op}`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
  expect(res.status, await res.clone().text()).toBe(200);
  return res.json() as Promise<Record<string, any>>; // eslint-disable-line @typescript-eslint/no-explicit-any
};

const verifiedV3 = (req: { headers: Record<string, string>; body: string; path: string }) =>
  Signature.isValid({
    signatureVersion: 'v3', signature: req.headers['x-hubspot-signature-v3']!, clientSecret: h.sandbox.appCredentials.clientSecret,
    requestBody: req.body, url: `${h.receiver.url}${req.path}`, method: 'POST', timestamp: Number(req.headers['x-hubspot-request-timestamp']),
  });

it('install → tokens → ticket and thread → signed webhooks → workflow action BLOCK → callback', async () => {
  const { clientId, clientSecret } = h.sandbox.appCredentials;
  const redirectUri = `${h.receiver.url}${REDIRECT_PATH}`;

  // 1. The admin approves the consent screen; the browser follows the redirect to "our" callback.
  const { location } = await authorizeInBrowser({ sandboxUrl: h.url, clientId, redirectUri, state: 'signed-state' });
  await fetch(location);
  const callback = h.receiver.requests.find((r) => r.path === REDIRECT_PATH)!;
  const code = new URL(callback.url).searchParams.get('code')!;
  expect(new URL(callback.url).searchParams.get('state')).toBe('signed-state');

  // 2. "Our backend" exchanges the code and learns the portal from the token metadata.
  const client = new Client({ basePath: h.url });
  const tokens = await client.oauth.tokensApi.create('authorization_code', code, redirectUri, clientId, clientSecret);
  const info = await client.oauth.accessTokensApi.get(tokens.accessToken);
  expect(info.hubId).toBe(62515);
  client.setAccessToken(tokens.accessToken);

  // 3. An operator starts a conversation and a ticket on the dashboard's control API.
  const thread = await control('create-thread', { portalId: 62515, contactId: '101', channel: 'LIVE_CHAT' });
  const ticket = await control('create-ticket', { portalId: 62515, subject: 'Where is my order?', contactId: '101', threadId: thread['id'] });
  await control('post-customer-message', { portalId: 62515, threadId: thread['id'], text: 'Hello? Anyone?' });
  await h.sandbox.idle();

  const webhookRequests = h.receiver.requests.filter((r) => r.path === '/hubspot/webhooks');
  expect(webhookRequests.length).toBeGreaterThan(0);
  expect(webhookRequests.every(verifiedV3)).toBe(true);
  const received = webhookRequests.flatMap((r) => JSON.parse(r.body) as WebhookEvent[]);
  const newMessage = received.find((e) => e.subscriptionType === 'conversation.newMessage')!;
  expect(newMessage).toMatchObject({ portalId: 62515, objectId: Number(thread['id']), messageType: 'MESSAGE' });

  // 4. The backend reads the message and answers as the AI through the Conversations API (SDK apiRequest).
  const msgRes = await client.apiRequest({ method: 'GET', path: `/conversations/v3/conversations/threads/${thread['id']}/messages/${String(newMessage['messageId'])}` });
  const message = await msgRes.json() as { text: string; channelId: string; channelAccountId: string };
  expect(message.text).toBe('Hello? Anyone?');
  const reply = await client.apiRequest({
    method: 'POST', path: `/conversations/v3/conversations/threads/${thread['id']}/messages`,
    body: { type: 'MESSAGE', text: 'Hi! Let me check.', attachments: [], senderActorId: 'A-9586504', channelId: message.channelId, channelAccountId: message.channelAccountId },
  });
  expect(reply.status).toBe(201);
  await h.sandbox.idle();
  const appMessageEvents = h.receiver.requests.filter((r) => r.path === '/hubspot/webhooks')
    .flatMap((r) => JSON.parse(r.body) as WebhookEvent[]).filter((e) => e.subscriptionType === 'conversation.newMessage');
  expect(appMessageEvents).toHaveLength(2);

  // 5. A workflow enrolls the ticket; the backend answers BLOCK, then completes the callback.
  h.receiver.respond = (req, c) => (req.path.startsWith('/hubspot/actions/')
    ? c.json({ outputFields: { hs_execution_state: 'BLOCK' } })
    : c.json({}));
  const execution = await control('run-workflow-action', {
    portalId: 62515, actionUid: 'request-handoff', objectType: 'TICKET', objectId: ticket['id'], inputFields: { reason: 'angry customer' },
  });
  expect(execution['status']).toBe('blocked');
  const actionRequest = h.receiver.requests.find((r) => r.path === '/hubspot/actions/request-handoff')!;
  expect(verifiedV3(actionRequest)).toBe(true);
  expect(JSON.parse(actionRequest.body).callbackId).toBe(execution['callbackId']);

  // Through apiRequest: the documented body needs typedOutputs, which the SDK's model (13.5.0) drops.
  const done = await client.apiRequest({
    method: 'POST',
    path: `/automation/v4/actions/callbacks/${String(execution['callbackId'])}/complete`,
    body: { outputFields: { outcome: 'handoff_requested' }, typedOutputs: { outcome: 'handoff_requested' } },
  });
  expect(done.status).toBe(204);
  await waitFor(() => h.sandbox.state.actionExecutions.some((e) => e.callbackId === execution['callbackId'] && e.status === 'completed'));
  const state = await (await fetch(`${h.url}/_sandbox/state`)).json() as { actionExecutions: { completedVia: string }[] };
  expect(state.actionExecutions.at(-1)).toMatchObject({ completedVia: 'callback' });
});
