import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { anOrganization } from '../../testing/fixtures';
import { createEngineTestDeps, ENGINES, type EngineTestDeps } from '../../testing/engine-deps';
import { TEST_NOW } from '../../testing/test-deps';

describe.each(ENGINES)('%s', (engine) => {
  let deps: EngineTestDeps;
  beforeEach(async () => {
    deps = await createEngineTestDeps(engine);
    await deps.store.organizations.create(anOrganization());
  });
  afterEach(() => deps.cleanup());

  const details = {
    organizationId: 'org_1',
    portalId: 1001,
    connectedBy: { hubspotUserId: 42, email: 'admin@acme.test' },
    scopes: ['tickets', 'conversations.read'],
    hubDomain: 'acme.hubspot.com',
  };
  const tokens = { accessToken: 'access-1', refreshToken: 'refresh-1', expiresAt: TEST_NOW + 1_800_000 };

  describe('connections store', () => {
    it('saves an OAuth connection and returns it without any token', async () => {
      const saved = await deps.store.connections.saveOAuthConnection({ ...details, tokens }, TEST_NOW);
      expect(saved).toEqual({
        organizationId: 'org_1',
        portalId: 1001,
        authMode: 'oauth',
        status: 'connected',
        connectedBy: { hubspotUserId: 42, email: 'admin@acme.test' },
        connectedAt: TEST_NOW,
        scopes: ['tickets', 'conversations.read'],
        hubDomain: 'acme.hubspot.com',
        statusReason: null,
        aiUser: null,
        updatedAt: TEST_NOW,
      });
      expect(JSON.stringify(await deps.store.connections.findByPortal(1001))).not.toMatch(/access-1|refresh-1/);
    });

    it('keeps the AI sender across a reconnect, and clears it on request', async () => {
      expect(await deps.store.connections.setAiUser('org_1', { hubspotUserId: 7, name: 'OpenCX AI', email: 'ai@acme.test' }, TEST_NOW)).toBe(false);
      await deps.store.connections.saveOAuthConnection({ ...details, tokens }, TEST_NOW);
      const ai = { hubspotUserId: 9586504, name: 'OpenCX AI', email: 'ai@acme.test' };
      expect(await deps.store.connections.setAiUser('org_1', ai, TEST_NOW + 1)).toBe(true);
      expect((await deps.store.connections.findByPortal(1001))?.aiUser).toEqual(ai);
      await deps.store.connections.saveOAuthConnection({ ...details, tokens }, TEST_NOW + 2);
      expect((await deps.store.connections.findByOrganization('org_1'))?.aiUser).toEqual(ai);
      await deps.store.connections.setAiUser('org_1', null, TEST_NOW + 3);
      expect((await deps.store.connections.findByPortal(1001))?.aiUser).toBeNull();
    });

    it('gives the organization one legacy webhook secret, found by the secret, rotated at once', async () => {
      const first = await deps.store.legacyWebhooks.getOrCreate('org_1', TEST_NOW);
      expect(first.secret).toMatch(/^whs_[A-Za-z0-9_-]{43}$/);
      expect(await deps.store.legacyWebhooks.getOrCreate('org_1', TEST_NOW)).toEqual(first);
      expect((await deps.store.legacyWebhooks.findBySecret(first.secret))?.organizationId).toBe('org_1');
      const rotated = await deps.store.legacyWebhooks.rotate('org_1', TEST_NOW + 1);
      expect(rotated.secret).not.toBe(first.secret);
      expect(await deps.store.legacyWebhooks.findBySecret(first.secret)).toBeNull();
      await deps.store.legacyWebhooks.setClientSecret('org_1', 'pa-client-secret', TEST_NOW + 2);
      expect(await deps.store.legacyWebhooks.findBySecret(rotated.secret)).toEqual({ organizationId: 'org_1', secret: rotated.secret, clientSecret: 'pa-client-secret' });
    });

    it('lists an organization\'s problems and its portal\'s unowned ones, newest first, and prunes old ones', async () => {
      const base = { portalId: 1001, threadId: null, at: TEST_NOW };
      await deps.store.problems.record({ ...base, organizationId: 'org_1', kind: 'reply_failed', message: 'first' });
      await deps.store.problems.record({ ...base, organizationId: null, kind: 'webhook_without_connection', message: 'second' });
      await deps.store.problems.record({ ...base, organizationId: null, portalId: 2002, kind: 'webhook_without_connection', message: 'elsewhere' });
      await deps.store.problems.record({ ...base, organizationId: 'org_1', kind: 'token_refused', message: 'third' });
      expect((await deps.store.problems.listRecent('org_1', 1001, 10)).map((p) => p.message)).toEqual(['third', 'second', 'first']);
      expect(await deps.store.problems.prune(1)).toBe(1);
      expect((await deps.store.problems.listRecent('org_1', 1001, 10)).map((p) => p.message)).toEqual(['third', 'second']);
    });

    it('keeps the Private App token when the organization moves to OAuth, so a rollback stays possible', async () => {
      await deps.store.connections.savePrivateAppConnection({ ...details, token: 'pat-legacy' }, TEST_NOW);
      expect(await deps.store.connections.getTokens(1001)).toEqual({
        organizationId: 'org_1',
        portalId: 1001,
        authMode: 'private_app',
        oauth: null,
        privateAppToken: 'pat-legacy',
      });

      await deps.store.connections.saveOAuthConnection({ ...details, tokens }, TEST_NOW + 1);
      expect(await deps.store.connections.getTokens(1001)).toMatchObject({
        authMode: 'oauth',
        oauth: tokens,
        privateAppToken: 'pat-legacy',
      });
    });

    it('stores refreshed tokens and status changes', async () => {
      await deps.store.connections.saveOAuthConnection({ ...details, tokens }, TEST_NOW);
      const refreshed = { accessToken: 'access-2', refreshToken: 'refresh-2', expiresAt: TEST_NOW + 3_600_000 };
      expect(await deps.store.connections.updateOAuthTokens(1001, refreshed, TEST_NOW + 10)).toBe(true);
      expect((await deps.store.connections.getTokens(1001))?.oauth).toEqual(refreshed);

      expect(await deps.store.connections.setStatus(1001, 'reconnect_required', 'refresh token rejected', TEST_NOW + 20)).toBe(true);
      expect(await deps.store.connections.findByPortal(1001)).toMatchObject({
        status: 'reconnect_required',
        statusReason: 'refresh token rejected',
        updatedAt: TEST_NOW + 20,
      });

      // Reconnecting clears the reason.
      await deps.store.connections.saveOAuthConnection({ ...details, tokens }, TEST_NOW + 30);
      expect(await deps.store.connections.findByPortal(1001)).toMatchObject({ status: 'connected', statusReason: null });
    });

    it('answers null or false for unknown portals', async () => {
      expect(await deps.store.connections.findByPortal(9)).toBeNull();
      expect(await deps.store.connections.getTokens(9)).toBeNull();
      expect(await deps.store.connections.updateOAuthTokens(9, tokens, TEST_NOW)).toBe(false);
      expect(await deps.store.connections.setStatus(9, 'disconnected', null, TEST_NOW)).toBe(false);
    });
  });
});
