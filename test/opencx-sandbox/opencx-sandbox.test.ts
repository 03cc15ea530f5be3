// The OpenCX API stand-in answers as docs/opencx-api.md describes: the tests of the adapter are only as good as it.
import { describe, expect, it } from 'vitest';
import { createOpenCxSandbox, type OpenCxSandbox } from './index';

const KEY = 'ocx_live_test_key_4f2a';
const headers = (key: string | null = KEY) => ({ 'content-type': 'application/json', ...(key ? { authorization: `Bearer ${key}` } : {}) });
const call = (s: OpenCxSandbox, method: string, path: string, body?: unknown, key: string | null = KEY) =>
  s.app.request(path, { method, headers: headers(key), ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }) });
const sandbox = (options: Parameters<typeof createOpenCxSandbox>[0] = {}) => createOpenCxSandbox({ keys: { [KEY]: 'full' }, ...options });
const newSession = async (s: OpenCxSandbox) => ((await (await call(s, 'POST', '/chat/sessions', { channel: { type: 'web' } })).json()) as { id: string }).id;
const say = (s: OpenCxSandbox, id: string, text: string) => call(s, 'POST', `/chat/sessions/${id}/send`, { sender: 'contact', message: { type: 'text', text } });

describe('OpenCX API stand-in', () => {
  it('creates a session (201 {id}) and answers a customer message with the scripted text, in the data wrapper', async () => {
    const s = sandbox();
    s.script('order', { text: 'Your order ships today.' });
    const created = await call(s, 'POST', '/chat/sessions', { channel: { type: 'web' }, contact: { name: 'Ann', custom_data: { hubspot_contact_id: '101' } } });
    expect(created.status).toBe(201);
    const { id } = (await created.json()) as { id: string };
    const sent = await say(s, id, 'Where is my order?');
    expect(sent.status).toBe(201);
    expect(await sent.json()).toMatchObject({
      data: { success: true, sessionIsHandedOff: false, autopilotResponse: { type: 'text', value: { error: false, content: 'Your order ships today.' } } },
    });
    expect(s.state.sessions.get(id)).toMatchObject({ channel: { type: 'web' }, contact: { name: 'Ann' }, messages: [{ sender: 'contact' }, { sender: 'ai' }] });
  });

  it('answers bare (the older documented shape) when switched', async () => {
    const s = sandbox({ shape: 'bare' });
    const body = await (await say(s, await newSession(s), 'hello')).json();
    expect(body).toMatchObject({ success: true, sessionIsHandedOff: false, autopilotResponse: { value: { content: expect.any(String) } } });
    expect(body).not.toHaveProperty('data');
  });

  it('hands off when the customer asks for a human, then stays silent; an agent takeover also silences it', async () => {
    const s = sandbox();
    const id = await newSession(s);
    expect(await (await say(s, id, 'I want to talk to a human')).json()).toMatchObject({ data: { sessionIsHandedOff: true } });
    expect(await (await say(s, id, 'hello?')).json()).toMatchObject({ data: { sessionIsHandedOff: true, autopilotResponse: null } });

    const other = await newSession(s);
    const agent = await call(s, 'POST', `/chat/sessions/${other}/send`, {
      sender: 'agent', message: { type: 'text', text: 'Jane here' }, agent: { id: 9586504, name: 'Jane' }, should_take_over_session_from_ai: true,
    });
    expect(await agent.json()).toMatchObject({ data: { autopilotResponse: null, sessionIsHandedOff: true } });
    expect(await (await say(s, other, 'thanks')).json()).toMatchObject({ data: { autopilotResponse: null } });
  });

  it('answers a scripted AI error in autopilotResponse.value.error', async () => {
    const s = sandbox();
    s.script(/refund/, { error: 'knowledge base unavailable' });
    expect(await (await say(s, await newSession(s), 'refund please')).json()).toMatchObject({ data: { autopilotResponse: { value: { error: 'knowledge base unavailable', content: '' } } } });
  });

  it('refuses a missing or unknown key with the documented 401 body, and a key without the scope with 403', async () => {
    const s = sandbox();
    s.addKey('ocx_live_readonly', ['chat-sessions:read']);
    for (const key of [null, 'ocx_live_unknown']) {
      const res = await call(s, 'POST', '/chat/sessions', {}, key);
      expect(res.status).toBe(401);
      expect(await res.json()).toEqual({ statusCode: 401, message: 'Unauthorized', error: 'Unauthorized' });
    }
    const forbidden = await call(s, 'POST', '/chat/sessions', {}, 'ocx_live_readonly');
    expect(forbidden.status).toBe(403);
    expect(await forbidden.json()).toMatchObject({ statusCode: 403, error: 'Forbidden' });
    expect((await call(s, 'GET', '/chat/sessions', undefined, 'ocx_live_readonly')).status).toBe(200);
  });

  it('answers 400 to bad bodies: not JSON, nested custom_data, unknown fields, an agent message without agent', async () => {
    const s = sandbox();
    const id = await newSession(s);
    const bad: [string, unknown][] = [
      ['/chat/sessions', '{not json'],
      ['/chat/sessions', { custom_data: { nested: { no: 1 } } }],
      ['/chat/sessions', { channel: { type: 'carrier-pigeon' } }],
      ['/chat/sessions', { contactt: {} }],
      [`/chat/sessions/${id}/send`, { sender: 'agent', message: { type: 'text', text: 'hi' } }],
      [`/chat/sessions/${id}/send`, { sender: 'contact', message: { type: 'text', text: '' } }],
    ];
    for (const [path, body] of bad) {
      const res = await call(s, 'POST', path, body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(await res.json()).toMatchObject({ statusCode: 400, error: 'Bad Request' });
    }
    expect((await call(s, 'PATCH', `/chat/sessions/${id}`, { status: 'done' })).status).toBe(400);
  });

  it('answers 404 for an unknown session and for another key\'s session', async () => {
    const s = sandbox();
    const id = await newSession(s);
    s.addKey('ocx_live_other');
    expect((await say(s, '00000000-0000-4000-8000-000000000000', 'hi')).status).toBe(404);
    expect((await call(s, 'GET', `/chat/sessions/${id}`, undefined, 'ocx_live_other')).status).toBe(404);
    expect((await call(s, 'GET', `/chat/sessions/${id}`)).status).toBe(200);
  });

  it('closes a session with PATCH (no body), and the AI then stays silent', async () => {
    const s = sandbox();
    const id = await newSession(s);
    const closed = await call(s, 'PATCH', `/chat/sessions/${id}`, { status: 'closed_resolved' });
    expect(closed.status).toBe(200);
    expect(await closed.text()).toBe('');
    expect(await (await call(s, 'GET', `/chat/sessions/${id}`)).json()).toMatchObject({ id, status: 'closed_resolved' });
    expect(await (await call(s, 'GET', '/chat/sessions?status=closed_resolved')).json()).toMatchObject({ items: [{ id }], next: null });
  });

  it('answers 429 with Retry-After beyond 100 requests a minute per key, and frees slots as the minute rolls', async () => {
    let now = 1_000_000;
    const s = sandbox({ now: () => now });
    s.addKey('ocx_live_other');
    for (let i = 0; i < 100; i++) expect((await call(s, 'GET', '/chat/sessions')).status).toBe(200);
    const limited = await call(s, 'GET', '/chat/sessions');
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('60');
    expect((await call(s, 'GET', '/chat/sessions', undefined, 'ocx_live_other')).status).toBe(200); // per key
    now += 60_001;
    expect((await call(s, 'GET', '/chat/sessions')).status).toBe(200);
  });

  it('injects faults for tests and records every request with the key ending only', async () => {
    const s = sandbox();
    s.failNext({ status: 503, pathEndsWith: '/send', retryAfterSeconds: 2 });
    const id = await newSession(s);
    const failed = await say(s, id, 'hi');
    expect([failed.status, failed.headers.get('retry-after')]).toEqual([503, '2']);
    expect((await say(s, id, 'hi')).status).toBe(201);
    expect(s.requests('POST', /\/send$/).map((r) => r.status)).toEqual([503, 201]);
    expect(s.state.requests[0]).toMatchObject({ method: 'POST', path: '/chat/sessions', keyEnding: '4f2a', body: { channel: { type: 'web' } }, status: 201 });
    expect(JSON.stringify(s.state.requests)).not.toContain(KEY);
  });

  it('serves over HTTP and only the documented operations', async () => {
    const s = sandbox();
    const { url, close } = await s.listen(0);
    try {
      expect((await fetch(`${url}/chat/sessions`, { method: 'POST', headers: headers(), body: '{}' })).status).toBe(201);
      expect((await fetch(`${url}/chat/sessions/x/handoff`, { method: 'POST', headers: headers(), body: '{}' })).status).toBe(404);
    } finally {
      await close();
    }
  });
});
