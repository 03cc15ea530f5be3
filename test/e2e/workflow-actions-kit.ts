// Shared setup of the workflow-action and card end-to-end tests: the real server and the sandbox, a clock the
// test can move forward, and OpenCX conversations linked to sandbox tickets.
import { randomUUID } from 'node:crypto';
import type { ChatSession } from '@opencx/shared';
import type { StartOptions } from '@opencx/server/start-server';
import type { ActionExecution } from '../sandbox/index';
import { connectPortalOverOAuth, type ConnectedPortal } from '../support/connected-portal';
import { createMovableClock, type MovableClock } from '../support/movable-clock';
import { startStack, type Stack, type StackOptions } from '../support/stack';

export { createMovableClock, type MovableClock };

/** Fast polls and retries everywhere, so a test waits milliseconds, not HubSpot's minutes. */
export const FAST_WORKERS: NonNullable<StartOptions['workers']> = {
  timedResume: { pollIntervalMs: 20 },
  callbackCompletions: { pollIntervalMs: 20, retryBaseMs: 20, retryMaxMs: 200 },
};

export async function startActionStack(options: StackOptions & { clock?: MovableClock } = {}): Promise<Stack> {
  return startStack({
    ...options,
    sandbox: { actions: { retryDelaysMs: [30, 60, 120], maxRetries: 3, timeoutMs: 5_000 }, ...options.sandbox },
    start: { workers: FAST_WORKERS, ...(options.clock ? { clock: options.clock } : {}), ...options.start },
  });
}

/** A sandbox ticket (no thread, so webhook intake leaves it alone) with an OpenCX conversation linked to it. */
export async function seedTicketConversation(
  stack: Stack,
  portal: ConnectedPortal,
  session: Partial<ChatSession> = {},
): Promise<{ ticketId: string; session: ChatSession }> {
  const ticket = stack.sandbox.control.createTicket({ portalId: portal.portalId, subject: 'Where is my order?' });
  const store = stack.server.deps.store;
  const now = stack.server.deps.clock.now();
  const created: ChatSession = {
    id: `ses_${randomUUID()}`,
    organizationId: portal.organization.id,
    portalId: portal.portalId,
    threadId: null,
    contactId: null,
    channel: 'chat',
    status: 'open',
    createdAt: now,
    updatedAt: now,
    ...session,
  };
  await store.sessions.create(created);
  await store.ticketLinks.link({ portalId: portal.portalId, ticketId: ticket.id, sessionId: created.id }, now);
  return { ticketId: ticket.id, session: created };
}

export interface RunActionInput {
  objectType?: 'TICKET' | 'CONTACT';
  objectId: string | number;
  inputFields?: Record<string, unknown>;
  callbackId?: string;
  portalId?: number;
}

/** HubSpot's workflow engine runs the action (resolves after the first attempt; retries continue behind it). */
export function runAction(stack: Stack, portalId: number, action: string, input: RunActionInput): Promise<ActionExecution> {
  return stack.sandbox.control.runWorkflowAction({
    portalId,
    actionUid: action,
    objectType: input.objectType ?? 'TICKET',
    objectId: input.objectId,
    inputFields: input.inputFields ?? {},
    ...(input.callbackId ? { callbackId: input.callbackId } : {}),
  });
}

export { connectPortalOverOAuth, type ConnectedPortal, type Stack };
