import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { anOrganization } from '../../testing/fixtures';
import { createEngineTestDeps, ENGINES, rawRows, type EngineTestDeps } from '../../testing/engine-deps';
import { TEST_NOW } from '../../testing/test-deps';
import type { Admin } from './admins.store';

describe.each(ENGINES)('%s', (engine) => {
  let deps: EngineTestDeps;
  beforeEach(async () => {
    deps = await createEngineTestDeps(engine);
    await deps.store.organizations.create(anOrganization({ id: 'org_1' }));
  });
  afterEach(() => deps.cleanup());

  const admin: Admin = { id: 'adm_1', organizationId: 'org_1', email: 'owner@acme.test', name: null, createdAt: TEST_NOW };
  const rawText = async (table: string) => JSON.stringify(await rawRows(deps, table));

  describe('admins store', () => {
    it('keeps one admin per email and organization', async () => {
      await deps.store.admins.createAdmin(admin);
      await expect(deps.store.admins.createAdmin({ ...admin, id: 'adm_2' })).rejects.toMatchObject({ code: 'conflict' });
      expect(await deps.store.admins.findAdminByEmail('org_1', 'owner@acme.test')).toEqual(admin);
      expect(await deps.store.admins.listAdminsByEmail('owner@acme.test')).toEqual([admin]);
    });

    it('lets exactly one of many concurrent uses of a sign-in link win', async () => {
      await deps.store.admins.createAdmin(admin);
      await deps.store.admins.saveSignInLink({ tokenHash: 'h1', adminId: 'adm_1', expiresAt: TEST_NOW + 1000 }, TEST_NOW);
      const results = await Promise.all(Array.from({ length: 10 }, () => deps.store.admins.consumeSignInLink('h1', TEST_NOW)));
      expect(results.filter((r) => 'admin' in r)).toHaveLength(1);
      expect(results.filter((r) => 'refused' in r && r.refused === 'used')).toHaveLength(9);
    });

    it('forgets expired sessions and spent links', async () => {
      await deps.store.admins.createAdmin(admin);
      await deps.store.admins.createSession({ tokenHash: 's1', adminId: 'adm_1', expiresAt: TEST_NOW + 10 }, TEST_NOW);
      await deps.store.admins.saveSignInLink({ tokenHash: 'l1', adminId: 'adm_1', expiresAt: TEST_NOW + 10 }, TEST_NOW);
      expect(await deps.store.admins.findSession('s1', TEST_NOW + 9)).toMatchObject({ admin });
      expect(await deps.store.admins.findSession('s1', TEST_NOW + 10)).toBeNull();
      expect(await deps.store.admins.deleteExpired(TEST_NOW + 10)).toBe(2);
    });
  });

  describe('pending installs store', () => {
    const base = {
      kind: 'marketplace' as const,
      portalId: 62515,
      organizationId: null,
      sessionHash: null,
      claimHash: 'claim-1',
      connectedBy: { hubspotUserId: 7, email: 'jane@example.com' },
      scopes: ['oauth'],
      hubDomain: null,
      expiresAt: TEST_NOW + 1000,
    };
    const oauth = { authMode: 'oauth' as const, tokens: { accessToken: 'access-secret', refreshToken: 'refresh-secret', expiresAt: TEST_NOW + 5 } };

    it('keeps the credentials encrypted, and hands them over once', async () => {
      await deps.store.pendingInstalls.save({ ...base, id: 'pi_1', credentials: oauth }, TEST_NOW);
      expect(await rawText('pending_installs')).not.toMatch(/access-secret|refresh-secret/);
      expect(await deps.store.pendingInstalls.listByClaim('claim-1', TEST_NOW)).toEqual([
        expect.objectContaining({ id: 'pi_1', portalId: 62515, authMode: 'oauth', connectedBy: base.connectedBy }),
      ]);
      expect(JSON.stringify(await deps.store.pendingInstalls.get('pi_1', TEST_NOW))).not.toContain('secret');
      expect(await deps.store.pendingInstalls.take('pi_1', TEST_NOW)).toMatchObject({ id: 'pi_1', credentials: oauth });
      expect(await deps.store.pendingInstalls.take('pi_1', TEST_NOW)).toBeNull();
    });

    it('gives back a take that its transaction rolled back', async () => {
      await deps.store.pendingInstalls.save({ ...base, id: 'pi_1', credentials: oauth }, TEST_NOW);
      await expect(
        deps.store.transaction(async (tx) => {
          await tx.pendingInstalls.take('pi_1', TEST_NOW);
          throw new Error('bind failed');
        }),
      ).rejects.toThrow('bind failed');
      expect(await deps.store.pendingInstalls.get('pi_1', TEST_NOW)).not.toBeNull();
    });

    it('hands expired credentials over for revocation, and hides expired installs', async () => {
      await deps.store.pendingInstalls.save({ ...base, id: 'pi_1', credentials: oauth }, TEST_NOW);
      await deps.store.pendingInstalls.save({ ...base, id: 'pi_2', expiresAt: TEST_NOW + 5000, credentials: { authMode: 'private_app', token: 'pat-secret' } }, TEST_NOW);
      expect(await deps.store.pendingInstalls.get('pi_1', TEST_NOW + 1000)).toBeNull();
      expect(await deps.store.pendingInstalls.takeExpired(TEST_NOW + 1000)).toEqual([oauth]);
      expect(await deps.store.pendingInstalls.listByClaim('claim-1', TEST_NOW + 1000)).toHaveLength(1);
    });
  });
});
