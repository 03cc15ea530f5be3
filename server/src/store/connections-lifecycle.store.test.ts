import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { anOrganization, aSession } from '../../testing/fixtures';
import { createEngineTestDeps, ENGINES, type EngineTestDeps } from '../../testing/engine-deps';
import { TEST_NOW } from '../../testing/test-deps';
import { openConfiguredStore } from './open-store';

describe.each(ENGINES)('%s', (engine) => {
  let deps: EngineTestDeps;
  beforeEach(async () => {
    deps = await createEngineTestDeps(engine);
    await deps.store.organizations.create(anOrganization({ id: 'org_1' }));
    await deps.store.organizations.create(anOrganization({ id: 'org_2', name: 'Other' }));
  });
  afterEach(() => deps.cleanup());

  const details = (organizationId: string, portalId: number) => ({
    organizationId,
    portalId,
    connectedBy: { hubspotUserId: 1, email: 'a@acme.test' },
    scopes: [],
    hubDomain: null,
  });
  const tokens = { accessToken: 'access-1', refreshToken: 'refresh-1', expiresAt: TEST_NOW + 1_800_000 };

  async function linkTicket(organizationId: string, portalId: number, ticketId: string) {
    const sessionId = `ses_${organizationId}_${ticketId}`;
    await deps.store.sessions.create(aSession({ id: sessionId, organizationId, portalId, threadId: `t_${sessionId}` }));
    await deps.store.ticketLinks.link({ portalId, ticketId, sessionId }, TEST_NOW);
    return sessionId;
  }

  describe('connections: the Connect lifecycle', () => {
    it('moves an organization to another portal: its old links go stale (kept), others’ stay, old tokens go', async () => {
      await deps.store.connections.savePrivateAppConnection({ ...details('org_1', 1001), token: 'pat-old' }, TEST_NOW);
      await deps.store.connections.saveOAuthConnection({ ...details('org_1', 1001), tokens }, TEST_NOW);
      const own = await linkTicket('org_1', 1001, 'T1');
      await linkTicket('org_2', 1001, 'T2'); // another organization's history on the same portal number

      const moved = await deps.store.connections.moveToPortal('org_1', 2002, TEST_NOW + 5);
      expect(moved).toEqual({ previousPortalId: 1001, staleLinks: 1 });
      expect(await deps.store.ticketLinks.findByTicket(1001, 'T1')).toMatchObject({ sessionId: own, status: 'stale', updatedAt: TEST_NOW + 5 });
      expect(await deps.store.ticketLinks.findByTicket(1001, 'T2')).toMatchObject({ status: 'active' });
      expect(await deps.store.connections.getTokens(2002)).toMatchObject({ oauth: null, privateAppToken: null });
      expect(await deps.store.connections.findByPortal(1001)).toBeNull();
    });

    it('refuses to move onto a portal of another organization (conflict), and is a no-op for the same portal', async () => {
      await deps.store.connections.saveOAuthConnection({ ...details('org_1', 1001), tokens }, TEST_NOW);
      await deps.store.connections.saveOAuthConnection({ ...details('org_2', 2002), tokens }, TEST_NOW);
      await expect(deps.store.connections.moveToPortal('org_1', 2002, TEST_NOW)).rejects.toMatchObject({ code: 'conflict' });
      expect(await deps.store.connections.moveToPortal('org_1', 1001, TEST_NOW)).toEqual({ previousPortalId: 1001, staleLinks: 0 });
      expect(await deps.store.connections.getTokens(1001)).toMatchObject({ oauth: tokens });
      expect(await deps.store.connections.moveToPortal('org_unknown', 1001, TEST_NOW)).toBeNull();
    });

    it('disconnects by deleting every token and keeping the row', async () => {
      await deps.store.connections.savePrivateAppConnection({ ...details('org_1', 1001), token: 'pat-old' }, TEST_NOW);
      await deps.store.connections.saveOAuthConnection({ ...details('org_1', 1001), tokens }, TEST_NOW);
      expect(await deps.store.connections.disconnect(1001, 'by admin', TEST_NOW + 1)).toBe(true);
      expect(await deps.store.connections.findByPortal(1001)).toMatchObject({ status: 'disconnected', statusReason: 'by admin' });
      expect(await deps.store.connections.getTokens(1001)).toMatchObject({ oauth: null, privateAppToken: null });
      expect(await deps.store.connections.credentialsOf('org_1')).toEqual({ oauth: false, privateApp: false });
    });

    it('switches back to the stored Private App token only when there is one', async () => {
      await deps.store.connections.saveOAuthConnection({ ...details('org_1', 1001), tokens }, TEST_NOW);
      expect(await deps.store.connections.switchToPrivateApp(1001, { hubspotUserId: null, email: 'b@acme.test' }, TEST_NOW)).toBe(false);
      expect((await deps.store.connections.findByPortal(1001))?.authMode).toBe('oauth');

      await deps.store.connections.savePrivateAppConnection({ ...details('org_1', 1001), token: 'pat-old' }, TEST_NOW);
      await deps.store.connections.saveOAuthConnection({ ...details('org_1', 1001), tokens }, TEST_NOW);
      expect(await deps.store.connections.credentialsOf('org_1')).toEqual({ oauth: true, privateApp: true });
      expect(await deps.store.connections.switchToPrivateApp(1001, { hubspotUserId: null, email: 'b@acme.test' }, TEST_NOW + 1)).toBe(true);
      expect(await deps.store.connections.findByPortal(1001)).toMatchObject({ authMode: 'private_app', status: 'connected', connectedBy: { email: 'b@acme.test' } });
      expect(await deps.store.connections.getTokens(1001)).toMatchObject({ authMode: 'private_app', oauth: null, privateAppToken: 'pat-old' });
    });
  });

  describe('connections: the refresh lease', () => {
    beforeEach(async () => {
      await deps.store.connections.saveOAuthConnection({ ...details('org_1', 1001), tokens }, TEST_NOW);
    });

    it('is held by one owner at a time, across store instances (processes), until released or expired', async () => {
      const other = await openConfiguredStore(deps.config, deps.logger, TEST_NOW);
      try {
        expect(await deps.store.connections.acquireRefreshLease(1001, 'A', TEST_NOW + 1000, TEST_NOW)).toBe(true);
        expect(await other.connections.acquireRefreshLease(1001, 'B', TEST_NOW + 1000, TEST_NOW)).toBe(false);
        expect(await other.connections.acquireRefreshLease(1001, 'B', TEST_NOW + 2000, TEST_NOW + 1000)).toBe(true); // expired
        await deps.store.connections.releaseRefreshLease(1001, 'A'); // not A's any more: no effect
        expect(await deps.store.connections.acquireRefreshLease(1001, 'A', TEST_NOW + 3000, TEST_NOW + 1500)).toBe(false);
        await other.connections.releaseRefreshLease(1001, 'B');
        expect(await deps.store.connections.acquireRefreshLease(1001, 'A', TEST_NOW + 3000, TEST_NOW + 1500)).toBe(true);
      } finally {
        await other.close();
      }
    });

    it('stores refreshed tokens only for the lease owner, and never after a disconnect', async () => {
      const fresh = { accessToken: 'access-2', refreshToken: 'refresh-2', expiresAt: TEST_NOW + 3_600_000 };
      await deps.store.connections.acquireRefreshLease(1001, 'A', TEST_NOW + 1000, TEST_NOW);
      expect(await deps.store.connections.completeRefresh(1001, 'B', fresh, TEST_NOW)).toBe(false);
      expect(await deps.store.connections.completeRefresh(1001, 'A', fresh, TEST_NOW)).toBe(true);
      expect((await deps.store.connections.getTokens(1001))?.oauth).toEqual(fresh);
      // The lease was freed by the write.
      expect(await deps.store.connections.acquireRefreshLease(1001, 'B', TEST_NOW + 1000, TEST_NOW)).toBe(true);
      await deps.store.connections.disconnect(1001, null, TEST_NOW);
      expect(await deps.store.connections.completeRefresh(1001, 'B', fresh, TEST_NOW)).toBe(false);
      expect((await deps.store.connections.getTokens(1001))?.oauth).toBeNull();
    });
  });
});
