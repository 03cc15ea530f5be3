// For tests of the sync shell: a real store on a temporary file, the real HubSpot gateway against the sandbox,
// and a connected portal. Events come from the sandbox (what it would deliver) and go through the real intake,
// inbox and effects code, one step at a time, so each test says exactly what ran.
import { createSandbox, type Sandbox } from '../../test/sandbox/index';
import type { Organization } from '@opencx/shared';
import { createHubSpotApiGateway } from '../src/hubspot';
import { createTestDeps, type TestDeps } from './test-deps';
import { runEffect } from '../src/effects/effects-worker';
import { acceptWebhookBatch, type IntakeResult } from '../src/inbox/intake';
import { processInboxEvent, type ProcessResult } from '../src/inbox/process-event';

export const PORTAL = 62515;
export const CUSTOMER = '101';
export const JANE = { userId: 9586504, ownerId: '52550153', name: 'Jane Agent' };
export const SAM = { userId: 9586505, ownerId: '52550154', name: 'Sam Support' };
const LEASE_MS = 60_000;

export interface SyncHarness {
  sandbox: Sandbox;
  deps: TestDeps;
  organization: Organization;
  /** The HubSpot user the AI posts as (the one who connected the portal). */
  botUserId: number;
  /** Stores the events the sandbox emitted since the last call (or `events`), as the webhook route does. */
  ingest(events?: Record<string, unknown>[]): Promise<IntakeResult>;
  /** Processes due inbox events until none is left; returns each result in order. */
  drainInbox(): Promise<ProcessResult[]>;
  /** Performs due effects until none is left. */
  drainEffects(): Promise<void>;
  /** ingest → inbox → effects, repeated until quiet (a posted reply is itself an event). */
  sync(): Promise<void>;
  close(): Promise<void>;
}

export async function startSyncHarness(options: { organization?: Partial<Organization>; oauth?: boolean } = {}): Promise<SyncHarness> {
  const sandbox = createSandbox({ webhook: { batchWindowMs: 1 } });
  const listening = await sandbox.listen(0);
  const app = sandbox.appCredentials;
  const deps = createTestDeps({
    env: {
      HUBSPOT_API_BASE_URL: listening.url,
      HUBSPOT_CLIENT_ID: app.clientId,
      HUBSPOT_CLIENT_SECRET: app.clientSecret,
      HUBSPOT_APP_ID: String(app.appId),
    },
  });
  // Quick retries inside the gateway, so tests of HubSpot failures do not wait for production backoffs.
  deps.hubspot = createHubSpotApiGateway({
    basePath: listening.url, tokens: deps.tokens, retry: { baseDelayMs: 5 },
    onAttempt: (operation, status) => deps.metrics.hubspotCalls.inc({ operation, status }),
  });
  const now = deps.clock.now();
  const organization: Organization = { id: 'org_1', name: 'Acme', oauthOnly: false, unassignPolicy: 'stay_paused', createdAt: now, ...options.organization };
  await deps.store.organizations.create(organization);
  const bot = sandbox.control.createUser({ portalId: PORTAL, email: 'ai@demo-helpdesk.example.com', firstName: 'OpenCX', lastName: 'AI' });
  const tokens = sandbox.control.installApp({ portalId: PORTAL, userId: bot.userId });
  const details = { organizationId: organization.id, portalId: PORTAL, connectedBy: { hubspotUserId: bot.userId, email: bot.email }, scopes: [], hubDomain: null };
  if (options.oauth === false) {
    const { token } = sandbox.control.createPrivateAppToken({ portalId: PORTAL });
    await deps.store.connections.savePrivateAppConnection({ ...details, token }, now);
  } else {
    await deps.store.connections.saveOAuthConnection(
      { ...details, tokens: { accessToken: tokens.accessToken, refreshToken: tokens.refreshToken, expiresAt: now + 3_600_000 } },
      now,
    );
  }
  // As the admin does on the settings page (or in the legacy form): the AI posts as this dedicated user.
  await deps.store.connections.setAiUser(organization.id, { hubspotUserId: bot.userId, name: 'OpenCX AI', email: bot.email }, now);

  const ingest = async (events?: Record<string, unknown>[]): Promise<IntakeResult> => {
    const batch = events ?? (sandbox.state.webhookEvents.splice(0) as unknown as Record<string, unknown>[]);
    const total: IntakeResult = { received: 0, stored: 0, takeovers: [] };
    for (let i = 0; i < batch.length; i += 100) {
      const result = await acceptWebhookBatch(deps, JSON.stringify(batch.slice(i, i + 100)));
      total.received += result.received;
      total.stored += result.stored;
      total.takeovers.push(...result.takeovers);
    }
    return total;
  };
  const drainInbox = async (): Promise<ProcessResult[]> => {
    const results: ProcessResult[] = [];
    for (;;) {
      const claimed = await deps.store.inbox.claimDue({ now: deps.clock.now(), limit: 16, leaseMs: LEASE_MS });
      if (claimed.length === 0) return results;
      for (const event of claimed) results.push(await processInboxEvent(deps, event));
    }
  };
  const drainEffects = async (): Promise<void> => {
    for (;;) {
      const claimed = await deps.store.outbox.claimDue({ now: deps.clock.now(), limit: 16, leaseMs: LEASE_MS });
      if (claimed.length === 0) return;
      for (const effect of claimed) await runEffect(deps, effect);
    }
  };
  return {
    sandbox,
    deps,
    organization,
    botUserId: bot.userId,
    ingest,
    drainInbox,
    drainEffects,
    async sync() {
      for (let round = 0; round < 10; round += 1) {
        await sandbox.idle();
        const { stored } = await ingest();
        const processed = await drainInbox();
        await drainEffects();
        if (stored === 0 && processed.length === 0 && sandbox.state.webhookEvents.length === 0) return;
      }
      throw new Error('the sync did not settle in 10 rounds');
    },
    async close() {
      sandbox.control.clearFaults();
      await listening.close();
      await sandbox.close();
      await deps.cleanup();
    },
  };
}
