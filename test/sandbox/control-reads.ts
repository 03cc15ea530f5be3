// Small read-only control routes for a caller outside the process (the benchmark's runner), where
// GET /_sandbox/state (the whole state, cloned) would cost more than the thing measured:
//   GET /_sandbox/api-calls[?portalId=…]          HubSpot API calls by portal and contract operation (api-calls.ts)
//   GET /_sandbox/thread-messages?portalId&threadId[&since=n&waitMs=ms]
//                                                 the thread's messages from index `since` on; with `waitMs`, when
//                                                 it has no message past `since` yet, answers as soon as one is
//                                                 added (or after waitMs): a long poll, so a waiting caller costs
//                                                 nothing while it waits and learns of the message at once
//   GET /_sandbox/ticket?portalId&ticketId        a ticket's properties, threads and notes
// None of them is a HubSpot API call: they are not counted and not held to the contract.
import { Hono, type Context } from 'hono';
import { apiCallsOf } from './api-calls';
import { SandboxError, type SandboxContext } from './context';
import { requirePortal } from './portals';
import { requireThread } from './threads';
import { requireTicket } from './tickets';
import type { SandboxMessage } from './types';

const MAX_WAIT_MS = 30_000;

const numberParam = (c: Context, name: string): number => {
  const value = Number(c.req.query(name));
  if (!Number.isSafeInteger(value)) throw new SandboxError(`${name}: an integer is required`);
  return value;
};

const stringParam = (c: Context, name: string): string => {
  const value = c.req.query(name);
  if (!value) throw new SandboxError(`${name} is required`);
  return value;
};

const messageView = (m: SandboxMessage) => ({
  id: m.id,
  type: m.type,
  direction: m.direction,
  createdBy: m.createdBy,
  createdAt: m.createdAt,
  client: m.client,
  text: m.text,
});

/** Resolves when a message is added to the thread, or after `waitMs` (or when the sandbox closes). */
function nextMessage(ctx: SandboxContext, portalId: number, threadId: string, waitMs: number): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      unsubscribe();
      ctx.shutdown.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, waitMs);
    const unsubscribe = ctx.live.subscribe((event) => {
      if (event.type === 'change' && event.portalId === portalId && event.change.kind === 'conversation.newMessage' && event.change.threadId === threadId) done();
    });
    ctx.shutdown.addEventListener('abort', done, { once: true });
  });
}

async function answer(c: Context, read: () => unknown): Promise<Response> {
  try {
    return c.json(await read());
  } catch (err) {
    const status = err instanceof SandboxError ? err.status : 500;
    return c.json({ error: { code: status === 404 ? 'not_found' : status === 500 ? 'internal' : 'invalid_request', message: (err as Error).message } }, status);
  }
}

export function controlReadRoutes(ctx: SandboxContext): Hono {
  const r = new Hono();
  r.get('/_sandbox/api-calls', (c) => answer(c, () => ({ byPortal: apiCallsOf(ctx.state, c.req.queries('portalId') ?? []) })));

  r.get('/_sandbox/thread-messages', (c) =>
    answer(c, async () => {
      const portal = requirePortal(ctx, numberParam(c, 'portalId'));
      const thread = requireThread(portal, stringParam(c, 'threadId'), true);
      const since = c.req.query('since') === undefined ? 0 : numberParam(c, 'since');
      const waitMs = c.req.query('waitMs') === undefined ? 0 : Math.min(MAX_WAIT_MS, numberParam(c, 'waitMs'));
      if (waitMs > 0 && thread.messages.length <= since) await nextMessage(ctx, portal.portalId, thread.id, waitMs);
      return { threadId: thread.id, count: thread.messages.length, messages: thread.messages.slice(since).map(messageView) };
    }));

  r.get('/_sandbox/ticket', (c) =>
    answer(c, () => {
      const ticket = requireTicket(requirePortal(ctx, numberParam(c, 'portalId')), stringParam(c, 'ticketId'));
      return { id: ticket.id, properties: ticket.properties, threadIds: ticket.threadIds, noteIds: ticket.noteIds };
    }));
  return r;
}
