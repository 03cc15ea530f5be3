import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { anOrganization } from '../../testing/fixtures';
import { createEngineTestDeps, ENGINES, type EngineTestDeps } from '../../testing/engine-deps';
import { TEST_NOW } from '../../testing/test-deps';
import { applyLifecycleEvent, UNINSTALLED_REASON } from './app-lifecycle';

const PORTAL = 1001;

describe.each(ENGINES)('%s', (engine) => {
  let deps: EngineTestDeps;
  beforeEach(async () => {
    deps = await createEngineTestDeps(engine);
    await deps.store.organizations.create(anOrganization());
    await deps.store.connections.saveOAuthConnection({
      organizationId: 'org_1', portalId: PORTAL, connectedBy: { hubspotUserId: 1, email: 'a@b.test' }, scopes: ['oauth'], hubDomain: null,
      tokens: { accessToken: 'at', refreshToken: 'rt', expiresAt: TEST_NOW + 1_800_000 },
    }, TEST_NOW);
  });
  afterEach(() => deps.cleanup());

  describe('app lifecycle events from the Webhooks Journal', () => {
    it('an uninstall disconnects at once (tokens deleted, row kept, a problem recorded), once', async () => {
      const uninstall = { portalId: PORTAL, action: 'APP_UNINSTALL' as const, occurredAt: TEST_NOW + 10 };
      expect(await applyLifecycleEvent(deps, uninstall, TEST_NOW + 20)).toBe(true);
      expect(await deps.store.connections.findByPortal(PORTAL)).toMatchObject({ status: 'disconnected', statusReason: UNINSTALLED_REASON });
      expect((await deps.store.connections.getTokens(PORTAL))?.oauth).toBeNull();
      // Read again (a second instance, an offset written back late): nothing more happens.
      expect(await applyLifecycleEvent(deps, uninstall, TEST_NOW + 30)).toBe(false);
      expect((await deps.store.problems.listRecent('org_1', PORTAL, 10)).map((p) => p.kind)).toEqual(['app_uninstalled']);
    });

    it('ignores installs, uninstalls older than the connection, and portals without a connection', async () => {
      expect(await applyLifecycleEvent(deps, { portalId: PORTAL, action: 'APP_INSTALL', occurredAt: TEST_NOW + 10 }, TEST_NOW + 20)).toBe(false);
      expect(await applyLifecycleEvent(deps, { portalId: PORTAL, action: 'APP_UNINSTALL', occurredAt: TEST_NOW - 10 }, TEST_NOW + 20)).toBe(false);
      expect(await applyLifecycleEvent(deps, { portalId: 4242, action: 'APP_UNINSTALL', occurredAt: TEST_NOW + 10 }, TEST_NOW + 20)).toBe(false);
      expect((await deps.store.connections.findByPortal(PORTAL))?.status).toBe('connected');
    });

    it('keeps how far the journal was read in the database', async () => {
      expect(await deps.store.appSecrets.getValue('hubspot.journal.offset')).toBeNull();
      await deps.store.appSecrets.setValue('hubspot.journal.offset', 'a', TEST_NOW);
      await deps.store.appSecrets.setValue('hubspot.journal.offset', 'b', TEST_NOW + 1);
      expect(await deps.store.appSecrets.getValue('hubspot.journal.offset')).toBe('b');
    });
  });
});
