// "Pause OpenCX AI" with a duration: the AI resumes by itself when the time is up, also across a restart.
import { startServer, type RunningServer } from '@opencx/server/start-server';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  connectPortalOverOAuth,
  createMovableClock,
  FAST_WORKERS,
  runAction,
  seedTicketConversation,
  startActionStack,
  type ConnectedPortal,
  type MovableClock,
  type Stack,
} from './workflow-actions-kit';

let stack: Stack;
let portal: ConnectedPortal;
let clock: MovableClock;
let restarted: RunningServer | undefined;
beforeEach(async () => {
  clock = createMovableClock();
  stack = await startActionStack({ clock });
  portal = await connectPortalOverOAuth(stack);
});
afterEach(async () => {
  await restarted?.close();
  restarted = undefined;
  await stack.close();
});

const MINUTE = 60_000;

describe('a timed pause', () => {
  it('resumes the AI by itself once the duration has passed, and not before', async () => {
    const { ticketId, session } = await seedTicketConversation(stack, portal);
    const store = stack.server.deps.store;
    const execution = await runAction(stack, portal.portalId, 'pause-ai', { objectId: ticketId, inputFields: { durationMinutes: '2' } });
    expect(execution.outputFields).toMatchObject({ aiStatus: 'paused', outcome: 'paused' });
    const paused = (await store.aiControl.load(session.id))?.control.state;
    expect(paused).toMatchObject({ status: 'paused', until: expect.any(Number) });

    clock.advance(MINUTE);
    // Several polls of the worker later, still paused: one minute of two.
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect((await store.aiControl.load(session.id))?.control.state.status).toBe('paused');

    clock.advance(MINUTE + 1_000);
    await expect.poll(async () => (await store.aiControl.load(session.id))?.control.state.status).toBe('active');
    const [resumed] = await store.aiControl.listEvents(session.id, 1);
    expect(resumed).toMatchObject({ type: 'ai_resumed', actor: { kind: 'system' }, detail: { why: 'pause_elapsed', from: 'paused' } });
  });

  it('resumes after a restart when the pause ended while the server was down', async () => {
    const { ticketId, session } = await seedTicketConversation(stack, portal);
    await runAction(stack, portal.portalId, 'pause-ai', { objectId: ticketId, inputFields: { durationMinutes: '5' } });
    const config = stack.server.deps.config;
    await stack.server.close();

    clock.advance(5 * MINUTE + 1_000);
    restarted = await startServer(config, { clock, workers: FAST_WORKERS });
    await expect.poll(async () => (await restarted!.deps.store.aiControl.load(session.id))?.control.state.status).toBe('active');
  });
});
