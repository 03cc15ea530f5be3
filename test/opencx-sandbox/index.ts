// A local stand-in for the OpenCX API (docs/opencx-api.md), beside the HubSpot sandbox: tests and `npm start`
// point OPENCX_API_BASE_URL at it. See README.md.
import type { Server } from 'node:http';
import { createAdaptorServer } from '@hono/node-server';
import type { Hono } from 'hono';
import { createOpenCxApp } from './app';
import type { InjectedFault, KeyGrant, OpenCxSandboxState, RecordedRequest, ScriptedAnswer } from './state';

export type * from './state';
export { ASKS_FOR_A_HUMAN } from './scripted-ai';

export interface OpenCxSandboxOptions {
  /** Accepted keys and their grants; more can be added with `addKey`. */
  keys?: Record<string, KeyGrant>;
  shape?: 'data' | 'bare';
  requestsPerMinute?: number;
  now?: () => number;
}

export interface OpenCxSandbox {
  app: Hono;
  state: OpenCxSandboxState;
  addKey(key: string, grant?: KeyGrant): void;
  removeKey(key: string): void;
  setShape(shape: 'data' | 'bare'): void;
  /** The AI answers a customer message matching `match` like this (first matching rule wins). */
  script(match: RegExp | string, answer: ScriptedAnswer): void;
  /** The next `times` requests (optionally only those to a path ending like `pathEndsWith`) get this status. */
  failNext(fault: Partial<InjectedFault> & { status: number }): void;
  /** The recorded requests, optionally only one operation's: `requests('POST', /\/send$/)`. */
  requests(method?: string, path?: RegExp): RecordedRequest[];
  /** Back to the options' keys and shape, with no session, request, fault or script (the same `state` object). */
  reset(): void;
  listen(port?: number, hostname?: string): Promise<{ url: string; close(): Promise<void> }>;
}

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

export function createOpenCxSandbox(options: OpenCxSandboxOptions = {}): OpenCxSandbox {
  const fresh = (): OpenCxSandboxState => ({
    keys: new Map(Object.entries(options.keys ?? {})),
    sessions: new Map(),
    requests: [],
    faults: [],
    windows: new Map(),
    shape: options.shape ?? 'data',
    rules: [],
  });
  const state = fresh();
  const app = createOpenCxApp({ state, now: options.now ?? Date.now, ...(options.requestsPerMinute ? { requestsPerMinute: options.requestsPerMinute } : {}) });
  return {
    app,
    state,
    addKey: (key, grant = 'full') => void state.keys.set(key, grant),
    removeKey: (key) => void state.keys.delete(key),
    setShape: (shape) => void (state.shape = shape),
    script: (match, answer) => void state.rules.push({ match: typeof match === 'string' ? new RegExp(escape(match), 'i') : match, answer }),
    failNext: ({ times = 1, ...fault }) => void state.faults.push({ times, ...fault }),
    reset: () => void Object.assign(state, fresh()),
    requests: (method, path) => state.requests.filter((r) => (!method || r.method === method) && (!path || path.test(r.path))),
    listen: (port = 0, hostname = '127.0.0.1') =>
      new Promise((resolve, reject) => {
        const server = createAdaptorServer({ fetch: app.fetch, hostname, port }) as Server;
        server.once('error', reject);
        server.listen(port, hostname, () => {
          const address = server.address();
          const actualPort = typeof address === 'object' && address ? address.port : port;
          resolve({
            url: `http://${hostname}:${actualPort}`,
            close: () =>
              new Promise<void>((done) => {
                server.close(() => done());
                server.closeAllConnections();
              }),
          });
        });
      }),
  };
}
