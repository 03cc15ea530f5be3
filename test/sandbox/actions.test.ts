import { Client, Signature } from '@hubspot/api-client';
import { afterEach, describe, expect, it } from 'vitest';
import { signV2 } from './signing';
import { startHarness, type Harness } from './test-kit';

let h: Harness;
afterEach(() => h?.close());
const PORTAL = 62515;

async function setup(options?: Parameters<typeof startHarness>[0]) {
  h = await startHarness(options);
  const { accessToken } = h.sandbox.control.installApp({ portalId: PORTAL });
  const ticket = h.sandbox.control.createTicket({ portalId: PORTAL, subject: 'Needs a human', ownerId: '52550153' });
  await h.sandbox.idle();
  h.receiver.requests.length = 0;
  return { accessToken, ticket };
}
const actionCalls = () => h.receiver.requests.filter((r) => r.path.startsWith('/hubspot/actions/'));

describe('workflow action calls', () => {
  it('POSTs HubSpot\'s body to the actionUrl, signed v2 and v3, and records a synchronous result', async () => {
    const { ticket } = await setup();
    h.receiver.respond = (_req, c) => c.json({ outputFields: { outcome: 'paused', hs_execution_state: 'SUCCESS' } });
    const execution = await h.sandbox.control.runWorkflowAction({ portalId: PORTAL, actionUid: 'pause-ai', objectType: 'TICKET', objectId: ticket.id, inputFields: { reason: 'VIP' } });
    expect(execution).toMatchObject({ status: 'completed', completedVia: 'response', outputFields: { outcome: 'paused' } });

    const [req] = actionCalls();
    expect(req!.path).toBe('/hubspot/actions/pause-ai');
    const body = JSON.parse(req!.body);
    expect(body).toEqual({
      callbackId: expect.stringMatching(new RegExp(`^ap-${PORTAL}-\\d+-1-0$`)),
      origin: { portalId: PORTAL, actionDefinitionId: expect.any(Number), actionDefinitionVersion: 1, actionExecutionIndexIdentifier: { enrollmentId: expect.any(Number), actionExecutionIndex: 0 } },
      context: { source: 'WORKFLOWS', workflowId: expect.any(Number), actionId: 1 },
      object: { objectId: Number(ticket.id), objectType: 'TICKET', properties: { hubspot_owner_id: '52550153', subject: 'Needs a human' } },
      inputFields: { reason: 'VIP' },
      fields: { reason: 'VIP' },
    });
    const url = `${h.receiver.url}/hubspot/actions/pause-ai`;
    const { clientSecret } = h.sandbox.appCredentials;
    expect(req!.headers['x-hubspot-signature-version']).toBe('v2');
    expect(req!.headers['x-hubspot-signature']).toBe(signV2(clientSecret, 'POST', url, req!.body));
    expect(Signature.isValid({ signatureVersion: 'v2', signature: req!.headers['x-hubspot-signature']!, clientSecret, requestBody: req!.body, url, method: 'POST' })).toBe(true);
    expect(Signature.isValid({
      signatureVersion: 'v3', signature: req!.headers['x-hubspot-signature-v3']!, clientSecret, requestBody: req!.body, url, method: 'POST',
      timestamp: Number(req!.headers['x-hubspot-request-timestamp']),
    })).toBe(true);
  });

  const complete = (accessToken: string, path: string, body: unknown) => fetch(`${h.url}/automation/v4/actions/callbacks/${path}`, {
    method: 'POST', headers: { Authorization: `Bearer ${accessToken}`, 'Content-Type': 'application/json' }, body: JSON.stringify(body),
  });

  it('BLOCK keeps the execution open until the app completes the callback with the documented body', async () => {
    const { accessToken, ticket } = await setup();
    h.receiver.respond = (_req, c) => c.json({ outputFields: { hs_execution_state: 'BLOCK', hs_expiration_duration: 'P1D' } });
    const execution = await h.sandbox.control.runWorkflowAction({ portalId: PORTAL, actionUrl: '/hubspot/actions/request-handoff', objectType: 'TICKET', objectId: ticket.id });
    expect(execution.status).toBe('blocked');
    expect(execution.blockedUntil! - execution.createdAt).toBeGreaterThanOrEqual(24 * 3600_000 - 1000);

    // The SDK (13.5.0) serializes only outputFields; the spec requires typedOutputs too, so its call is refused.
    const client = new Client({ basePath: h.url, accessToken });
    await expect(client.automation.actions.callbacksApi.complete(execution.callbackId, { outputFields: { outcome: 'handoff_requested' } }))
      .rejects.toMatchObject({ code: 400, body: { message: 'typedOutputs is required and must be an object' } });
    expect(execution.status).toBe('blocked');

    const outputFields = { outcome: 'handoff_requested', hs_execution_state: 'SUCCESS' };
    expect((await complete(accessToken, `${execution.callbackId}/complete`, { outputFields, typedOutputs: outputFields })).status).toBe(204);
    expect(execution).toMatchObject({ status: 'completed', completedVia: 'callback', outputFields: { outcome: 'handoff_requested' } });
    expect((await complete(accessToken, `${execution.callbackId}/complete`, { outputFields: {}, typedOutputs: {} })).status).toBe(404);
    expect((await complete(accessToken, `${execution.callbackId}/complete`, {})).status).toBe(400);
    expect((await complete(accessToken, `${execution.callbackId}/complete`, { outputFields: { n: 1 }, typedOutputs: {} })).status).toBe(400);
  });

  it('completes several callbacks in one batch call', async () => {
    const { accessToken, ticket } = await setup();
    h.receiver.respond = (_req, c) => c.json({ outputFields: { hs_execution_state: 'BLOCK' } });
    const a = await h.sandbox.control.runWorkflowAction({ portalId: PORTAL, actionUid: 'send-to-ai', objectType: 'TICKET', objectId: ticket.id });
    const b = await h.sandbox.control.runWorkflowAction({ portalId: PORTAL, actionUid: 'fixture_resume_ai', objectType: 'TICKET', objectId: ticket.id });
    const res = await complete(accessToken, 'complete', { inputs: [
      { callbackId: a.callbackId, outputFields: { outcome: 'sent' }, typedOutputs: { outcome: 'sent' } },
      { callbackId: b.callbackId, outputFields: { outcome: 'resumed' }, typedOutputs: { outcome: 'resumed' } },
    ] });
    expect(res.status).toBe(204);
    expect([a.status, b.status]).toEqual(['completed', 'completed']);
  });

  it('retries 5xx and network errors with backoff; other 4xx fail at once; FAIL_CONTINUE is a failure', async () => {
    const { ticket } = await setup();
    let calls = 0;
    h.receiver.respond = (_req, c) => (++calls === 1 ? c.json({}, 503) : c.json({ outputFields: { outcome: 'ok' } }));
    const retried = await h.sandbox.control.runWorkflowAction({ portalId: PORTAL, actionUid: 'pause-ai', objectType: 'TICKET', objectId: ticket.id });
    expect(retried.status).toBe('retrying');
    await h.sandbox.idle();
    expect(retried.status).toBe('completed');
    expect(retried.attempts.map((a) => a.status)).toEqual([503, 200]);

    h.receiver.respond = (_req, c) => c.json({ message: 'bad input' }, 400);
    const failed = await h.sandbox.control.runWorkflowAction({ portalId: PORTAL, actionUid: 'pause-ai', objectType: 'TICKET', objectId: ticket.id });
    await h.sandbox.idle();
    expect(failed).toMatchObject({ status: 'failed', error: 'HTTP 400' });
    expect(failed.attempts).toHaveLength(1);

    h.receiver.respond = (_req, c) => c.json({ outputFields: { hs_execution_state: 'FAIL_CONTINUE', errorCode: 'NO_CONVERSATION' } });
    const failContinue = await h.sandbox.control.runWorkflowAction({ portalId: PORTAL, actionUid: 'pause-ai', objectType: 'TICKET', objectId: ticket.id });
    expect(failContinue).toMatchObject({ status: 'failed', executionState: 'FAIL_CONTINUE', outputFields: { errorCode: 'NO_CONVERSATION' } });
  });

  it('refuses portals where the app is not installed', async () => {
    await setup();
    h.sandbox.control.createPortal({ portalId: 999 });
    await expect(h.sandbox.control.runWorkflowAction({ portalId: 999, actionUid: 'pause-ai', objectType: 'TICKET', objectId: '1' })).rejects.toThrow(/not installed/);
  });
});

describe('card fetch (hubspot.fetch proxy)', () => {
  it('appends identity params, signs the final URL and retries once on 5xx', async () => {
    await setup();
    let calls = 0;
    h.receiver.respond = (_req, c) => (++calls === 1 ? c.json({ error: 'boom' }, 502) : c.json({ aiStatus: 'active' }));
    const result = await h.sandbox.control.cardFetch({ portalId: PORTAL, userId: 9586505, url: `${h.receiver.url}/hubspot/card/ai-status?ticketId=5`, method: 'POST', body: { command: 'pause' } });
    expect(result).toMatchObject({ status: 200, body: { aiStatus: 'active' } });
    expect(h.receiver.requests).toHaveLength(2);
    const req = h.receiver.requests[1]!;
    const url = new URL(req.url);
    expect(Object.fromEntries(url.searchParams)).toEqual({ ticketId: '5', userId: '9586505', portalId: String(PORTAL), userEmail: 'sam.support@example.com', appId: '1160452' });
    expect(Signature.isValid({
      signatureVersion: 'v3', signature: req.headers['x-hubspot-signature-v3']!, clientSecret: h.sandbox.appCredentials.clientSecret,
      requestBody: req.body, url: req.url.replace('%40', '@'), method: 'POST', timestamp: Number(req.headers['x-hubspot-request-timestamp']),
    })).toBe(true);
    expect(h.sandbox.state.cardFetches[0]).toMatchObject({ attempts: 2, status: 200 });
  });
});
