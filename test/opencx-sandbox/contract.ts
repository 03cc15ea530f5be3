// The OpenCX API operations the stand-in serves, written down once with the section of docs/opencx-api.md that
// documents each. Routes are registered from this table (app.ts), so the stand-in cannot serve an operation the
// documentation does not list, and each row names the scope a custom-scoped key needs for it.

export interface OpenCxOperation {
  id: string;
  method: 'GET' | 'POST' | 'PATCH';
  /** Hono path template. */
  path: string;
  /** `resource:action`; `read` covers GET/list, `write` create/update/delete (docs/opencx-api.md §1). */
  scope: 'chat-sessions:read' | 'chat-sessions:write';
  status: 200 | 201;
  source: string;
}

export const OPENCX_CONTRACT = [
  { id: 'sessions.create', method: 'POST', path: '/chat/sessions', scope: 'chat-sessions:write', status: 201, source: 'docs/opencx-api.md §2' },
  { id: 'sessions.send', method: 'POST', path: '/chat/sessions/:id/send', scope: 'chat-sessions:write', status: 201, source: 'docs/opencx-api.md §3' },
  { id: 'sessions.get', method: 'GET', path: '/chat/sessions/:id', scope: 'chat-sessions:read', status: 200, source: 'docs/opencx-api.md §4' },
  { id: 'sessions.list', method: 'GET', path: '/chat/sessions', scope: 'chat-sessions:read', status: 200, source: 'docs/opencx-api.md §4' },
  // ASSUMPTION: 200 with an empty body (docs/opencx-api.md §5 says only "no body").
  { id: 'sessions.update', method: 'PATCH', path: '/chat/sessions/:id', scope: 'chat-sessions:write', status: 200, source: 'docs/opencx-api.md §5' },
] as const satisfies readonly OpenCxOperation[];

export type OpenCxOperationId = (typeof OPENCX_CONTRACT)[number]['id'];

/** The documented rate limit of standard endpoints, per key (docs/opencx-api.md §1). */
export const REQUESTS_PER_MINUTE = 100;
