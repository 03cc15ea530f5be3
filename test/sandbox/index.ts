// The local HubSpot sandbox: a Hono app with in-memory state that answers HubSpot's OAuth, CRM,
// Conversations and Automation APIs and sends signed webhooks, workflow-action calls and card fetches.
// The product reaches it only through HUBSPOT_API_BASE_URL / HUBSPOT_AUTHORIZE_URL.
import { createAdaptorServer } from '@hono/node-server';
import { Hono } from 'hono';
import type { Server } from 'node:http';
import { bearerAuth, faultInjection, RateLimiter, type ApiEnv } from './api-guard';
import { automationRoutes } from './automation-routes';
import { consentRoutes } from './consent-page';
import type { SandboxContext } from './context';
import { createControl, type SandboxControl } from './control';
import { controlRoutes } from './control-routes';
import { conversationsRoutes } from './conversations-routes';
import { crmRoutes } from './crm-routes';
import { ticketRoutes } from './crm-ticket-routes';
import { dashboardRoutes } from './dashboard-page';
import { auditContract } from './contract/audit';
import { isApiPath } from './contract/operations';
import { recordViolation } from './contract/route';
import { errorBody } from './hs-errors';
import { oauthRoutes } from './oauth-routes';
import { resolveApp, resolveConfig, type SandboxOptions } from './options';
import { seedDemoPortal } from './portals';
import { loadProjectFiles } from './project-files';
import type { SandboxState } from './runtime-types';
import { createEmptyState, pushCapped } from './state';
import { DEFAULT_SUBSCRIPTIONS, eventsFor, numberSubscriptions } from './subscriptions';
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
  /** Resolves when no webhook/action delivery is queued or in flight. */
  idle(): Promise<void>;
  close(): Promise<void>;
}

const hasPlaceholder = (v: string | undefined) => v !== undefined && v.includes('${');

/** Copies what HubSpot would take from the uploaded project into a fresh state, then seeds it. */
function initialiseState(ctx: SandboxContext): void {
  const { project, config } = ctx;
  const fresh = createEmptyState(config.rateLimit);
  const previousOverride = ctx.state.webhook?.targetOverride;
  // Violations are audited after the test file (contract/audit.ts): a reset must not hide them.
  const violations = ctx.state.contractViolations ?? [];
  Object.assign(ctx.state, fresh, { contractViolations: violations });
  // A target set through the control API is configuration, like the app credentials: it survives reset.
  if (previousOverride) ctx.state.webhook.targetOverride = previousOverride;
  const webhooks = project.webhooks;
  ctx.state.webhook.subscriptions = numberSubscriptions(webhooks?.subscriptions ?? DEFAULT_SUBSCRIPTIONS);
  if (webhooks?.targetUrl && !hasPlaceholder(webhooks.targetUrl)) ctx.state.webhook.configuredTargetUrl = webhooks.targetUrl;
  ctx.state.webhook.maxConcurrentRequests = config.webhook.maxConcurrentRequests ?? webhooks?.maxConcurrentRequests ?? 10;
  // ASSUMPTION (UNVERIFIED): definition ids are assigned by HubSpot at upload; these numbers are arbitrary. source: docs/hubspot-contract.md §3.1
  ctx.state.actionDefinitions = project.actions.map((a, i) => ({
    ...a,
    actionUrl: hasPlaceholder(a.actionUrl) ? undefined : a.actionUrl,
    actionDefinitionId: 10646377 + i,
    actionDefinitionVersion: 1,
  }));
  if (config.seedDemoPortal) seedDemoPortal(ctx);
}

export function createSandbox(options: SandboxOptions = {}): Sandbox {
  const config = resolveConfig(options);
  const log = options.log ?? (() => {});
  const project = loadProjectFiles(config.projectDir, config.profileVariables);
  for (const warning of project.warnings) log(`project: ${warning}`);
  const shutdown = new AbortController();
  const ctx: SandboxContext = {
    state: {} as SandboxState,
    app: resolveApp(options, project.app),
    config,
    project,
    now: options.now ?? Date.now,
    log,
    work: new WorkTracker(),
    emit: () => {},
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
  ctx.emit = (portalId, change) => {
    const events = eventsFor(ctx, portalId, change);
    for (const e of events) pushCapped(ctx.state.webhookEvents, e);
    dispatcher.enqueue(portalId, events);
    const privateApp = privateAppOf(portalId);
    if (privateApp) privateAppDispatcher.enqueue(portalId, eventsFor(ctx, portalId, change, privateApp.appId));
  };
  initialiseState(ctx);

  const control = createControl(ctx, {
    reset: () => {
      ctx.work.cancelTimers();
      dispatcher.clear();
      privateAppDispatcher.clear();
      limiter.clear();
      ctx.project = loadProjectFiles(config.projectDir, config.profileVariables);
      initialiseState(ctx);
    },
    peak: (portalId) => dispatcher.peakInFlight.get(portalId) ?? 0,
  });

  const app = new Hono<ApiEnv>({ strict: false });
  app.route('/', dashboardRoutes(ctx));
  app.route('/', controlRoutes(control));
  app.route('/', consentRoutes(ctx));
  const faults = faultInjection(ctx);
  const auth = bearerAuth(ctx, limiter);
  app.use('/oauth/v1/*', faults);
  app.use('/oauth/2026-03/*', faults);
  for (const prefix of ['/crm/*', '/conversations/*', '/automation/*', '/account-info/*']) app.use(prefix, faults, auth);
  app.route('/', oauthRoutes(ctx));
  app.route('/', ticketRoutes(ctx));
  app.route('/', crmRoutes(ctx));
  app.route('/', conversationsRoutes(ctx));
  app.route('/', automationRoutes(ctx));
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
    control,
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
    },
  };
  auditContract(sandbox);
  return sandbox;
}
