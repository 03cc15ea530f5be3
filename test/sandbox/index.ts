// The local HubSpot sandbox: a Hono app with in-memory state that answers HubSpot's OAuth, CRM,
// Conversations and Automation APIs and sends signed webhooks, workflow-action calls and card fetches.
// The product reaches it only through HUBSPOT_API_BASE_URL / HUBSPOT_AUTHORIZE_URL.
import { createAdaptorServer } from '@hono/node-server';
import { Hono } from 'hono';
import type { Server } from 'node:http';
import { bearerAuth, faultInjection, RateLimiter, type ApiEnv } from './api-guard';
import { automationRoutes } from './automation-routes';
import { cardHostRoutes } from './card-host/routes';
import { consentRoutes } from './consent-page';
import type { SandboxContext } from './context';
import { createControl, type SandboxControl } from './control';
import { controlRoutes } from './control-routes';
import { controlReadRoutes } from './control-reads';
import { conversationsRoutes } from './conversations-routes';
import { crmRoutes } from './crm-routes';
import { contactRoutes } from './crm-contact-routes';
import { ticketRoutes } from './crm-ticket-routes';
import { journalRoutes } from './journal-routes';
import { dashboardRoutes } from './dashboard-page';
import { auditContract } from './contract/audit';
import { isApiPath } from './contract/operations';
import { recordViolation } from './contract/route';
import { errorBody } from './hs-errors';
import { helpdeskRoutes } from './helpdesk/routes';
import { liveRoutes } from './live-routes';
import { oauthRoutes } from './oauth-routes';
import { resolveApp, resolveConfig, type SandboxOptions } from './options';
import { initialiseState, restoreState } from './initial-state';
import { LiveEvents } from './live-events';
import { loadProjectFiles } from './project-files';
import type { SandboxState } from './runtime-types';
import { pushCapped } from './state';
import { DebouncedSaver, loadStateFile, snapshotOf, writeStateFile } from './state-file';
import { eventsFor } from './subscriptions';
import { WebhookDispatcher } from './webhook-dispatcher';
import { WorkTracker } from './work-tracker';

export type { SandboxOptions } from './options';
export type { SandboxControl, FaultInput } from './control';
export type * from './runtime-types';
export type * from './types';
export { signV1, signV2, signV3, decodeUriForV3 } from './signing';

export interface Sandbox {
  /** The HTTP app: HubSpot API + OAuth + control API + HTML page. */
  app: Hono;
  listen(port?: number, hostname?: string): Promise<{ url: string; close(): Promise<void> }>;
  state: SandboxState;
  control: SandboxControl;
  appCredentials: { appId: number; clientId: string; clientSecret: string; name: string };
  /** Where the state is kept across restarts (`options.stateFile`), and what the start found there. */
  persistence: { file?: string; start: 'fresh' | 'restored' | 'reset'; note?: string };
  /** Resolves when no webhook/action delivery is queued or in flight. */
  idle(): Promise<void>;
  close(): Promise<void>;
}

export function createSandbox(options: SandboxOptions = {}): Sandbox {
  const config = resolveConfig(options);
  const log = options.log ?? (() => {});
  const project = loadProjectFiles(config.projectDir, config.profileVariables);
  for (const warning of project.warnings) log(`project: ${warning}`);
  const shutdown = new AbortController();
  const loaded = options.stateFile ? loadStateFile(options.stateFile, Date.now()) : { kind: 'missing' as const };
  const saved = loaded.kind === 'loaded' ? loaded.saved : undefined;
  const ctx: SandboxContext = {
    state: {} as SandboxState,
    // Credentials given explicitly win; otherwise those of the previous run, so the server's tokens stay valid.
    app: resolveApp({ ...options, app: { ...saved?.app, ...definedOnly(options.app ?? {}) } }, project.app),
    config,
    project,
    now: options.now ?? Date.now,
    log,
    work: new WorkTracker(() => ctx.changed()),
    emit: () => {},
    changed: () => {},
    live: new LiveEvents(),
    shutdown: shutdown.signal,
  };
  const dispatcher = new WebhookDispatcher(ctx);
  // A customer's own Private App sends its webhooks to the URL saved in its Webhooks tab, signed with its secret;
  // a rotated (revoked) token does not stop them: the app is still there.
  const privateAppOf = (portalId: number) =>
    Object.values(ctx.state.privateAppTokens).find((p) => p.portalId === portalId && p.webhookUrl);
  const privateAppDispatcher = new WebhookDispatcher(ctx, (portalId) => {
    const app = privateAppOf(portalId);
    return { url: app?.webhookUrl, clientSecret: app?.clientSecret ?? '' };
  });
  const limiter = new RateLimiter(ctx);
  const file = options.stateFile;
  const saver = file ? new DebouncedSaver(() => writeStateFile(file, snapshotOf(ctx.state, ctx.app))) : undefined;
  ctx.changed = () => {
    saver?.schedule();
    ctx.live.stateChanged();
  };
  ctx.emit = (portalId, change) => {
    const events = eventsFor(ctx, portalId, change);
    for (const e of events) pushCapped(ctx.state.webhookEvents, e);
    dispatcher.enqueue(portalId, events);
    const privateApp = privateAppOf(portalId);
    if (privateApp) privateAppDispatcher.enqueue(portalId, eventsFor(ctx, portalId, change, privateApp.appId));
    ctx.live.change(portalId, change);
    ctx.changed();
  };
  initialiseState(ctx);
  if (saved) restoreState(ctx, saved);
  if (loaded.kind === 'unreadable') {
    log(`STATE RESET: ${file} could not be read (${loaded.reason}); it was moved to ${loaded.movedTo} and the sandbox starts empty. ` +
      'Connections made before are gone: reconnect HubSpot in Settings → Integrations → HubSpot.');
  }
  if (saver && !saved) saver.schedule(); // the new credentials must be on disk before the server holds tokens for them

  const control = createControl(ctx, {
    reset: () => {
      ctx.work.cancelTimers();
      dispatcher.clear();
      privateAppDispatcher.clear();
      limiter.clear();
      ctx.project = loadProjectFiles(config.projectDir, config.profileVariables);
      initialiseState(ctx, file ? { ...ctx.state.counters } : undefined);
    },
    peak: (portalId) => dispatcher.peakInFlight.get(portalId) ?? 0,
  });

  const app = new Hono<ApiEnv>({ strict: false });
  // Every request that may change the state (OAuth grants, API writes, control operations) schedules a save.
  app.use('*', async (c, next) => {
    await next();
    if (c.req.method !== 'GET' && c.req.method !== 'HEAD') ctx.changed();
  });
  app.route('/', dashboardRoutes(ctx));
  app.route('/', liveRoutes(ctx));
  app.route('/', cardHostRoutes(ctx));
  app.route('/', helpdeskRoutes(ctx));
  app.route('/', controlReadRoutes(ctx));
  app.route('/', controlRoutes(control));
  app.route('/', consentRoutes(ctx));
  const faults = faultInjection(ctx);
  const auth = bearerAuth(ctx, limiter);
  app.use('/oauth/v1/*', faults);
  app.use('/oauth/2026-03/*', faults);
  for (const prefix of ['/crm/*', '/conversations/*', '/automation/*', '/account-info/*', '/webhooks-journal/*']) app.use(prefix, faults, auth);
  app.route('/', oauthRoutes(ctx));
  app.route('/', ticketRoutes(ctx));
  app.route('/', crmRoutes(ctx));
  app.route('/', contactRoutes(ctx));
  app.route('/', conversationsRoutes(ctx));
  app.route('/', automationRoutes(ctx));
  app.route('/', journalRoutes(ctx));
  app.notFound((c) => {
    // Every API route comes from the contract table; anything else under an API prefix is not an operation
    // HubSpot documents (or not one the sandbox serves yet: add it to contract/operations.ts with its source).
    if (isApiPath(c.req.path)) recordViolation(ctx, c, 'not_in_contract', 'not an operation of test/sandbox/contract/operations.ts');
    return c.json(errorBody('OBJECT_NOT_FOUND', `The sandbox does not implement ${c.req.method} ${c.req.path}`), 404);
  });
  app.onError((err, c) => {
    log(`error on ${c.req.method} ${c.req.path}: ${err.stack ?? err.message}`);
    return c.json(errorBody('INTERNAL_ERROR', `Sandbox error: ${err.message}`), 500);
  });

  const servers = new Set<Server>();
  const closeServer = (server: Server) =>
    new Promise<void>((resolve) => {
      servers.delete(server);
      server.close(() => resolve());
      server.closeAllConnections();
    });

  const sandbox: Sandbox = {
    app: app as unknown as Hono,
    get state() {
      return ctx.state;
    },
    control: notifyingChanges(control, ctx.changed),
    persistence: {
      file,
      start: saved ? 'restored' : loaded.kind === 'unreadable' ? 'reset' : 'fresh',
      ...(loaded.kind === 'unreadable' ? { note: `${file} was unreadable (${loaded.reason}); moved to ${loaded.movedTo}` } : {}),
    },
    appCredentials: { appId: ctx.app.appId, clientId: ctx.app.clientId, clientSecret: ctx.app.clientSecret, name: ctx.app.name },
    idle: () => ctx.work.idle(),
    listen: (port = 0, hostname = '127.0.0.1') =>
      new Promise((resolve, reject) => {
        const server = createAdaptorServer({ fetch: app.fetch, hostname, port }) as Server;
        server.once('error', reject);
        server.listen(port, hostname, () => {
          servers.add(server);
          const address = server.address();
          const actualPort = typeof address === 'object' && address ? address.port : port;
          const host = hostname.includes(':') ? `[${hostname}]` : hostname;
          resolve({ url: `http://${host}:${actualPort}`, close: () => closeServer(server) });
        });
      }),
    close: async () => {
      shutdown.abort();
      ctx.work.cancelTimers();
      dispatcher.clear();
      privateAppDispatcher.clear();
      await Promise.all([...servers].map(closeServer));
      ctx.work.releaseWaiters();
      saver?.flush();
    },
  };
  auditContract(sandbox);
  return sandbox;
}

const definedOnly = <T extends object>(value: T): Partial<T> =>
  Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;

const READS = new Set<keyof SandboxControl>(['snapshot', 'notesForTicket', 'peakWebhookConcurrency']);

/** In-process control calls (tests, the card host) change the state without a request: they save it too. */
function notifyingChanges(control: SandboxControl, changed: () => void): SandboxControl {
  const wrapped = Object.entries(control).map(([name, fn]: [string, (...args: unknown[]) => unknown]) => {
    if (READS.has(name as keyof SandboxControl)) return [name, fn];
    return [name, (...args: unknown[]) => {
      let result: unknown;
      try {
        result = fn(...args);
        return result instanceof Promise ? result.finally(changed) : result;
      } finally {
        if (!(result instanceof Promise)) changed();
      }
    }];
  });
  return Object.fromEntries(wrapped) as SandboxControl;
}
