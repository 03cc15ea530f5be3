import { afterEach, describe, expect, it } from 'vitest';
import type { AdminContext } from '../admin/admin-session';
import { createOrganizationWithAdmin } from '../admin/provision';
import { openStore } from '../store/open-store';
import { createTestDeps, type TestDeps } from '../../testing/test-deps';
import { createOAuthState, createOAuthStateKey, STATE_TTL_MS, verifyOAuthState } from './oauth-state';

let deps: TestDeps;
afterEach(async () => deps.cleanup());

async function setUp(): Promise<AdminContext> {
  deps = createTestDeps();
  const { organization, admin } = await createOrganizationWithAdmin(deps, { organizationName: 'Acme', adminEmail: 'owner@acme.test' });
  return { organization, admin, sessionHash: 'a'.repeat(64), csrfToken: 'csrf' };
}

describe('the OAuth state', () => {
  it('is signed, names the organization, and is recorded (hashed) with the admin session it belongs to', async () => {
    const context = await setUp();
    const state = await createOAuthState(deps, context);
    const checked = await verifyOAuthState(deps, state);
    expect(checked).toMatchObject({ ok: true, organizationId: context.organization.id });
    if (!checked.ok) return;
    expect(await deps.store.oauthStates.find(checked.nonceHash)).toMatchObject({
      organizationId: context.organization.id,
      adminId: context.admin.id,
      sessionHash: context.sessionHash,
      expiresAt: deps.clock.now() + STATE_TTL_MS,
    });
  });

  it('refuses any change to payload or signature, and junk', async () => {
    const context = await setUp();
    const state = await createOAuthState(deps, context);
    const [payload, signature] = state.split('.') as [string, string];
    const otherOrg = Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(payload, 'base64url').toString()), organizationId: 'org_x' })).toString('base64url');
    for (const forged of [`${otherOrg}.${signature}`, `${payload}.${signature.slice(0, -1)}A`, `${payload}.`, payload, '', 'a.b.c']) {
      expect(await verifyOAuthState(deps, forged)).toEqual({ ok: false, reason: 'invalid' });
    }
  });

  it('expires after 10 minutes', async () => {
    const context = await setUp();
    const state = await createOAuthState(deps, context);
    deps.clock.advance(STATE_TTL_MS - 1);
    expect((await verifyOAuthState(deps, state)).ok).toBe(true);
    deps.clock.advance(1);
    expect(await verifyOAuthState(deps, state)).toEqual({ ok: false, reason: 'expired' });
  });

  it('is single-use in the store', async () => {
    const context = await setUp();
    const checked = await verifyOAuthState(deps, await createOAuthState(deps, context));
    if (!checked.ok) throw new Error('state refused');
    expect(await deps.store.oauthStates.consume(checked.nonceHash, deps.clock.now())).toHaveProperty('state');
    expect(await deps.store.oauthStates.consume(checked.nonceHash, deps.clock.now())).toEqual({ refused: 'used' });
    expect(await deps.store.oauthStates.consume('f'.repeat(64), deps.clock.now())).toEqual({ refused: 'unknown' });
  });

  it('verifies in another server process on the same database (one signing key, kept encrypted in the database)', async () => {
    const context = await setUp();
    const state = await createOAuthState(deps, context);
    const second = openStore(deps.config, deps.logger, deps.clock.now());
    try {
      const secondServer = { store: second, clock: deps.clock };
      expect((await verifyOAuthState({ ...secondServer, oauthStateKey: createOAuthStateKey(secondServer) }, state)).ok).toBe(true);
    } finally {
      await second.close();
    }
  });
});
