// "Send to OpenCX AI": answered BLOCK at once, then completed through HubSpot's callback API with the AI's reply,
// on conversations the sandbox created through webhooks (thread → intake → session and ticket link).
import { sendToAiOutputSchema, workflowActionResponseSchema } from '@opencx/shared';
import { createHttpAgent } from '@opencx/server/ai/index';
import { startServer, type RunningServer } from '@opencx/server/start-server';
import { afterEach, describe, expect, it } from 'vitest';
import type { ActionExecution, SandboxThread } from '../sandbox/index';
import {
  connectPortalOverOAuth,
  FAST_WORKERS,
  runAction,
  startActionStack,
  type ConnectedPortal,
  type Stack,
} from './workflow-actions-kit';

let stack: Stack;
let portal: ConnectedPortal;
let restarted: RunningServer | undefined;
afterEach(async () => {
  await restarted?.close();
  restarted = undefined;
  await stack.close();
});

async function start(options: Parameters<typeof startActionStack>[0] = {}) {
  stack = await startActionStack(options);
  portal = await connectPortalOverOAuth(stack);
}

/** A customer writes in on a ticket's chat; our intake creates the session and links the ticket. */
async function customerConversation({ aiAnswers = true } = {}): Promise<{ ticketId: string; contactId: string; thread: SandboxThread; sessionId: string }> {
  const sandboxPortal = stack.sandbox.state.portals[String(portal.portalId)]!;
  const contactId = Object.values(sandboxPortal.contacts)[0]!.id;
  const ticket = stack.sandbox.control.createTicket({ portalId: portal.portalId, subject: 'Refund', contactId });
  const thread = stack.sandbox.control.createThread({ portalId: portal.portalId, contactId, ticketId: ticket.id, text: 'I want my money back' });
  const store = stack.server.deps.store;
  await expect.poll(async () => (await store.ticketLinks.findByTicket(portal.portalId, ticket.id))?.status, { timeout: 10_000 }).toBe('active');
  const session = await store.sessions.findByThread(portal.portalId, thread.id);
  // The AI's usual answer to that first message (an FAQ entry matches it) has been posted and recorded.
  if (aiAnswers) {
    await expect.poll(async () => (await store.chatHistory.findLatestByRole(session!.id, 'ai'))?.text, { timeout: 10_000 }).toMatch(/^Refunds/);
  }
  await stack.sandbox.idle();
  return { ticketId: ticket.id, contactId, thread, sessionId: session!.id };
}

const aiMessagesIn = (thread: SandboxThread) => thread.messages.filter((m) => m.direction === 'OUTGOING' && m.type === 'MESSAGE');
const waitForCompletion = (execution: ActionExecution) =>
  expect.poll(() => execution.status, { timeout: 10_000 }).toMatch(/completed|failed/);

describe('Send to OpenCX AI', () => {
  it('answers BLOCK at once, then completes the callback with the AI reply it posted', async () => {
    await start();
    const { ticketId, thread, sessionId } = await customerConversation();
    await runAction(stack, portal.portalId, 'pause-ai', { objectId: ticketId });

    const execution = await runAction(stack, portal.portalId, 'send-to-ai', {
      objectId: ticketId,
      inputFields: { instruction: 'say: Your refund of 20 EUR is on its way.' },
    });
    expect(execution.attempts[0]).toMatchObject({ status: 200 });
    expect(JSON.parse(execution.attempts[0]!.responseBody!)).toEqual({ outputFields: { hs_execution_state: 'BLOCK', hs_expiration_duration: 'P1D' } });

    await waitForCompletion(execution);
    expect(execution).toMatchObject({ status: 'completed', completedVia: 'callback' });
    expect(workflowActionResponseSchema(sendToAiOutputSchema).parse({ outputFields: execution.outputFields }).outputFields).toEqual({
      aiStatus: 'active',
      outcome: 'resumed',
      aiReply: 'Your refund of 20 EUR is on its way.',
      hs_execution_state: 'SUCCESS',
    });
    expect(aiMessagesIn(thread).filter((m) => m.text === 'Your refund of 20 EUR is on its way.')).toHaveLength(1);
    await expect.poll(async () => stack.server.deps.store.actionExecutions.get(execution.callbackId)).toMatchObject({ status: 'completed', completedAt: expect.any(Number) });
    expect((await stack.server.deps.store.chatHistory.findLatestByRole(sessionId, 'ai'))?.text).toBe('Your refund of 20 EUR is on its way.');
  });

  it('works for an enrolled contact and reports the AI status when the AI hands off instead of answering', async () => {
    await start();
    const { contactId, thread, sessionId } = await customerConversation();
    // Paused, so the message waits for us rather than for the AI's usual reply.
    await runAction(stack, portal.portalId, 'pause-ai', { objectType: 'CONTACT', objectId: contactId });
    stack.sandbox.control.postCustomerMessage({ portalId: portal.portalId, threadId: thread.id, text: 'I want to talk to a human please' });
    const store = stack.server.deps.store;
    await expect.poll(async () => (await store.chatHistory.findLatestByRole(sessionId, 'customer'))?.text).toBe('I want to talk to a human please');

    const execution = await runAction(stack, portal.portalId, 'send-to-ai', { objectType: 'CONTACT', objectId: contactId });
    await waitForCompletion(execution);
    expect(execution.outputFields).toEqual({ aiStatus: 'handoff_requested', outcome: 'resumed', hs_execution_state: 'SUCCESS' });
  });

  it('acts and replies once when HubSpot sends the same call twice at the same moment', async () => {
    await start();
    const { ticketId, thread } = await customerConversation();
    const copies = await Promise.all(
      [1, 2].map(() => runAction(stack, portal.portalId, 'send-to-ai', { objectId: ticketId, callbackId: 'ap-send-dup', inputFields: { instruction: 'say: Once.' } })),
    );
    expect(copies.map((c) => c.attempts[0]?.responseBody)).toEqual([copies[0]!.attempts[0]!.responseBody, copies[0]!.attempts[0]!.responseBody]);
    await expect.poll(async () => (await stack.server.deps.store.actionExecutions.get('ap-send-dup'))?.status, { timeout: 10_000 }).toBe('completed');
    expect(aiMessagesIn(thread).filter((m) => m.text === 'Once.')).toHaveLength(1);
  });

  it('retries the completion until HubSpot accepts it', async () => {
    await start();
    const { ticketId } = await customerConversation();
    // More failures than one gateway call retries: our worker has to come back for it.
    stack.sandbox.control.addFault({ pathPrefix: '/automation', status: 503, count: 5 });
    const execution = await runAction(stack, portal.portalId, 'send-to-ai', { objectId: ticketId, inputFields: { instruction: 'say: Hello again.' } });
    await waitForCompletion(execution);
    expect(execution.outputFields).toMatchObject({ aiReply: 'Hello again.', hs_execution_state: 'SUCCESS' });
    // HubSpot has the completion before our worker has its answer and records it: wait for the record.
    const row = () => stack.server.deps.store.actionExecutions.get(execution.callbackId);
    await expect.poll(async () => (await row())?.status).toBe('completed');
    expect((await row())!.attempts).toBeGreaterThan(1);
  });

  it('completes after a restart when HubSpot was failing while the server went down', async () => {
    await start();
    const { ticketId } = await customerConversation();
    stack.sandbox.control.addFault({ pathPrefix: '/automation', status: 503 });
    const execution = await runAction(stack, portal.portalId, 'send-to-ai', { objectId: ticketId, inputFields: { instruction: 'say: After the restart.' } });
    const store = stack.server.deps.store;
    await expect.poll(async () => (await store.actionExecutions.get(execution.callbackId))?.lastError ?? null, { timeout: 10_000 }).toMatch(/503/);
    const config = stack.server.deps.config;
    await stack.server.close();
    expect(execution.status).toBe('blocked');

    stack.sandbox.control.clearFaults();
    restarted = await startServer(config, { workers: FAST_WORKERS });
    await waitForCompletion(execution);
    expect(execution.outputFields).toMatchObject({ aiReply: 'After the restart.', hs_execution_state: 'SUCCESS' });
  });

  it('stops trying when HubSpot no longer knows the callback (404)', async () => {
    await start();
    const { ticketId } = await customerConversation();
    stack.sandbox.control.addFault({ pathPrefix: '/automation', status: 503 });
    const execution = await runAction(stack, portal.portalId, 'send-to-ai', { objectId: ticketId });
    const store = stack.server.deps.store;
    await expect.poll(async () => (await store.actionExecutions.get(execution.callbackId))?.lastError ?? null, { timeout: 10_000 }).toMatch(/503/);
    execution.status = 'expired'; // HubSpot gave up waiting on the blocked step
    stack.sandbox.control.clearFaults();
    await expect.poll(async () => (await store.actionExecutions.get(execution.callbackId))?.status, { timeout: 10_000 }).toBe('completion_expired');
  });

  it('completes without a reply when the AI stays unreachable', async () => {
    await start({
      start: {
        services: { ai: createHttpAgent({ url: 'http://127.0.0.1:1', attempts: 1 }) },
        workers: { ...FAST_WORKERS, callbackCompletions: { ...FAST_WORKERS.callbackCompletions, maxAiAttempts: 2 } },
      },
    });
    const { ticketId } = await customerConversation({ aiAnswers: false });
    const execution = await runAction(stack, portal.portalId, 'send-to-ai', { objectId: ticketId, inputFields: { instruction: 'say: never sent' } });
    await waitForCompletion(execution);
    expect(execution.outputFields).toEqual({ aiStatus: 'active', outcome: 'already_active', hs_execution_state: 'SUCCESS' });
  });
});
