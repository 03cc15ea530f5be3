// The stand-in's HTTP app: the operations of contract.ts, each behind guard.ts, answering as docs/opencx-api.md
// describes, and recording every request it answered.
import { randomUUID } from 'node:crypto';
import { Hono, type Context } from 'hono';
import type { z } from 'zod';
import { OPENCX_CONTRACT, type OpenCxOperation, type OpenCxOperationId } from './contract';
import { guard, sendError } from './guard';
import { createSessionBody, listSessionsQuery, sendMessageBody, updateSessionBody } from './schemas';
import { answerFor, autopilotResponseOf } from './scripted-ai';
import type { OpenCxSandboxSession, OpenCxSandboxState } from './state';

export interface AppOptions {
  state: OpenCxSandboxState;
  now: () => number;
  requestsPerMinute?: number;
}

type Handler = (c: Context, key: string, options: AppOptions) => Promise<Response> | Response;

export function createOpenCxApp(options: AppOptions): Hono {
  const { state, now } = options;
  const app = new Hono();
  app.use('*', async (c, next) => {
    const raw = c.req.method === 'GET' ? '' : await c.req.raw.clone().text();
    await next();
    const auth = /^Bearer\s+(\S+)/i.exec(c.req.header('authorization') ?? '')?.[1] ?? null;
    state.requests.push({ method: c.req.method, path: c.req.path, keyEnding: auth ? auth.slice(-4) : null, body: parseOrRaw(raw), status: c.res.status, at: now() });
  });
  for (const operation of OPENCX_CONTRACT) {
    const handle = HANDLERS[operation.id];
    app.on(operation.method, operation.path, async (c) => {
      const guarded = guard(c, state, operation as OpenCxOperation, now(), options.requestsPerMinute);
      return 'refused' in guarded ? guarded.refused : handle(c, guarded.key, options);
    });
  }
  app.notFound((c) => sendError(c, 404, `Cannot ${c.req.method} ${c.req.path}`));
  app.onError((err, c) => sendError(c, 500, err.message));
  return app;
}

const parseOrRaw = (raw: string): unknown => {
  if (raw === '') return null;
  try {
    return JSON.parse(raw);
  } catch {
    return raw;
  }
};

/** The body parsed with `schema`, or the 400 OpenCX answers (messages as a list, like its validation errors). */
async function readBody<S extends z.ZodType>(c: Context, schema: S): Promise<{ body: z.infer<S> } | { refused: Response }> {
  let json: unknown;
  try {
    json = JSON.parse(await c.req.text());
  } catch {
    return { refused: sendError(c, 400, 'The body must be JSON') };
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) return { refused: sendError(c, 400, parsed.error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`)) };
  return { body: parsed.data };
}

const sessionOf = (c: Context, state: OpenCxSandboxState, key: string): OpenCxSandboxSession | null => {
  const session = state.sessions.get(c.req.param('id') ?? '');
  return session && session.key === key ? session : null;
};

const wrap = (state: OpenCxSandboxState, body: Record<string, unknown>) => (state.shape === 'data' ? { data: body } : body);

const sessionView = (s: OpenCxSandboxSession) => ({
  id: s.id,
  status: s.status,
  ai_closure_type: s.handedOff || s.takenOver ? 'handed_off' : s.status === 'closed_resolved' ? 'resolved' : null,
  sentiment: null,
  channel: s.channel,
  created_at: new Date(s.createdAt).toISOString(),
  updated_at: new Date(s.updatedAt).toISOString(),
  contact: { id: s.contactId ?? null, ...s.contact },
  custom_data: s.customData,
  ...(s.handedOff || s.takenOver ? { handoff: { summary: null, sentiment: null } } : {}),
});

const HANDLERS: Record<OpenCxOperationId, Handler> = {
  'sessions.create': async (c, key, { state, now }) => {
    const read = await readBody(c, createSessionBody);
    if ('refused' in read) return read.refused;
    const { body } = read;
    const id = randomUUID();
    const at = now();
    state.sessions.set(id, {
      id,
      key,
      status: 'open',
      channel: body.channel ?? { type: 'api' }, // `api` is the documented default (docs/opencx-api.md §2)
      contact: body.contact ?? null,
      contactId: body.contact_id ?? (body.contact ? randomUUID() : null),
      customData: body.custom_data ?? {},
      handedOff: false,
      takenOver: false,
      messages: [],
      createdAt: at,
      updatedAt: at,
    });
    return c.json({ id }, 201);
  },

  'sessions.send': async (c, key, { state, now }) => {
    const session = sessionOf(c, state, key);
    if (!session) return sendError(c, 404, 'Session not found');
    const read = await readBody(c, sendMessageBody);
    if ('refused' in read) return read.refused;
    const { body } = read;
    const at = now();
    session.updatedAt = at;
    Object.assign(session.customData, body.custom_data);
    session.messages.push({ sender: body.sender, text: body.message.text, ...(body.agent ? { agent: { id: body.agent.id, name: body.agent.name } } : {}), at });
    let autopilotResponse = null;
    if (body.sender === 'agent') {
      if (body.should_take_over_session_from_ai) session.takenOver = true;
    } else if (!session.handedOff && !session.takenOver && session.status === 'open') {
      // ASSUMPTION: the AI answers only open sessions it still holds (docs/opencx-api.md §3).
      const answer = answerFor(state, body.message.text);
      if ('handoff' in answer) session.handedOff = true;
      autopilotResponse = autopilotResponseOf(answer, randomUUID());
      if (autopilotResponse && autopilotResponse.value.content) session.messages.push({ sender: 'ai', text: autopilotResponse.value.content, at });
    }
    return c.json(wrap(state, { success: true, autopilotResponse, uiResponse: null, sessionIsHandedOff: session.handedOff || session.takenOver }), 201);
  },

  'sessions.get': (c, key, { state }) => {
    const session = sessionOf(c, state, key);
    return session ? c.json(sessionView(session), 200) : sendError(c, 404, 'Session not found');
  },

  'sessions.list': (c, key, { state }) => {
    const query = listSessionsQuery.safeParse(c.req.query());
    if (!query.success) return sendError(c, 400, query.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`));
    const { status, handed_off } = query.data;
    const items = [...state.sessions.values()]
      .filter((s) => s.key === key && (!status || s.status === status))
      .filter((s) => !handed_off || (s.handedOff || s.takenOver) === (handed_off === 'true'))
      .map(sessionView);
    return c.json({ items, next: null }, 200);
  },

  'sessions.update': async (c, key, { state, now }) => {
    const session = sessionOf(c, state, key);
    if (!session) return sendError(c, 404, 'Session not found');
    const read = await readBody(c, updateSessionBody);
    if ('refused' in read) return read.refused;
    session.status = read.body.status;
    session.updatedAt = now();
    return c.body(null, 200);
  },
};
