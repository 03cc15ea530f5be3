import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { anOrganization } from '../../testing/fixtures';
import { createTestDeps, TEST_NOW, type TestDeps } from '../../testing/test-deps';

let deps: TestDeps;
beforeEach(async () => {
  deps = createTestDeps();
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
      updatedAt: TEST_NOW,
    });
    expect(JSON.stringify(await deps.store.connections.findByPortal(1001))).not.toMatch(/access-1|refresh-1/);
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
