// The state a sandbox starts from: what HubSpot would take from the uploaded project, the demo portal, and, when the
// sandbox has a state file, everything it held before the restart (state-file.ts).
import type { SandboxContext } from './context';
import { seedDemoPortal } from './portals';
import { createEmptyState } from './state';
import { PERSISTED_KEYS, type PersistedSandbox } from './state-file';
import { DEFAULT_SUBSCRIPTIONS, numberSubscriptions } from './subscriptions';

const hasPlaceholder = (v: string | undefined) => v !== undefined && v.includes('${');

/**
 * Copies what HubSpot would take from the uploaded project into a fresh state, then seeds it. `counters` carries
 * the id counters over a reset of a sandbox kept in a file: the server's database outlives the reset and still
 * holds sessions under the old thread and ticket ids.
 */
export function initialiseState(ctx: SandboxContext, counters?: Record<string, number>): void {
  const { project, config } = ctx;
  const fresh = createEmptyState(config.rateLimit);
  const previousOverride = ctx.state.webhook?.targetOverride;
  // Violations are audited after the test file (contract/audit.ts): a reset must not hide them.
  const violations = ctx.state.contractViolations ?? [];
  Object.assign(ctx.state, fresh, { contractViolations: violations });
  if (counters) ctx.state.counters = { ...counters };
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

/** Puts back what a previous run saved; the project-derived parts (subscriptions, actions) stay as just read. */
export function restoreState(ctx: SandboxContext, saved: PersistedSandbox): void {
  for (const key of PERSISTED_KEYS) {
    if (saved.state[key] !== undefined) Object.assign(ctx.state, { [key]: saved.state[key] });
  }
  if (saved.webhookTargetOverride) ctx.state.webhook.targetOverride = saved.webhookTargetOverride;
}
