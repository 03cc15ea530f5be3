import { afterEach, describe, expect, it } from 'vitest';
import { createApp } from '../app';
import { createTestDeps, type TestDeps } from '../../testing/test-deps';
import { runAdminCli } from './cli';
import { DEMO_ADMIN_EMAIL, ensureDemoAdmin } from './provision';

let deps: TestDeps;
afterEach(async () => deps.cleanup());

async function run(...argv: string[]) {
  const lines: string[] = [];
  const code = await runAdminCli(argv, deps, (line) => lines.push(line));
  return { code, out: lines.join('\n') };
}
const linkIn = (out: string) => /(https?:\/\/\S+\/admin\/sign-in\?token=\S+)/.exec(out)?.[1];

async function signsIn(link: string): Promise<boolean> {
  const token = new URL(link).searchParams.get('token')!;
  const res = await createApp(deps).request('/admin/sign-in', {
    method: 'POST',
    body: new URLSearchParams({ token }),
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
  });
  return res.status === 303;
}

describe('the admin CLI', () => {
  it('creates an organization with its admin and prints a sign-in link that works', async () => {
    deps = createTestDeps({ env: { PUBLIC_BASE_URL: 'https://opencx.example.com' } });
    const { code, out } = await run('create-org', '--name', 'Acme', '--admin-email', 'Owner@Acme.test', '--oauth-only');
    expect(code).toBe(0);
    const link = linkIn(out)!;
    expect(link).toMatch(/^https:\/\/opencx\.example\.com\/admin\/sign-in\?token=/);
    const [admin] = await deps.store.admins.listAdminsByEmail('owner@acme.test');
    expect((await deps.store.organizations.get(admin!.organizationId))).toMatchObject({ name: 'Acme', oauthOnly: true });
    expect(await signsIn(link)).toBe(true);
  });

  it('prints a fresh link for an existing admin, and changes the OAuth-only policy', async () => {
    deps = createTestDeps();
    await run('create-org', '--name', 'Acme', '--admin-email', 'owner@acme.test');
    const { code, out } = await run('sign-in-link', '--email', 'owner@acme.test');
    expect(code).toBe(0);
    expect(await signsIn(linkIn(out)!)).toBe(true);
    const [admin] = await deps.store.admins.listAdminsByEmail('owner@acme.test');
    expect((await run('set-policy', '--org', admin!.organizationId, '--oauth-only', 'yes')).code).toBe(0);
    expect((await deps.store.organizations.get(admin!.organizationId))?.oauthOnly).toBe(true);
    expect((await run('set-policy', '--org', admin!.organizationId, '--oauth-only', 'no')).code).toBe(0);
    expect((await deps.store.organizations.get(admin!.organizationId))?.oauthOnly).toBe(false);
  });

  it('reports what is wrong instead of guessing', async () => {
    deps = createTestDeps();
    await expect(run('sign-in-link', '--email', 'nobody@acme.test')).rejects.toMatchObject({ code: 'not_found' });
    await expect(run('create-org', '--name', 'Acme')).rejects.toMatchObject({ code: 'validation_failed' });
    await expect(run('create-org', '--name', 'Acme', '--admin-email', 'not-an-email')).rejects.toMatchObject({ code: 'validation_failed' });
    await expect(run('set-policy', '--org', 'org_x', '--oauth-only', 'maybe')).rejects.toMatchObject({ code: 'validation_failed' });
    expect((await run('frobnicate')).code).toBe(2);
    expect((await run('help')).out).toContain('create-org');
  });
});

describe('the demo admin of `npm start`', () => {
  it('is created on the first run and reused afterwards', async () => {
    deps = createTestDeps();
    const first = await ensureDemoAdmin(deps);
    const second = await ensureDemoAdmin(deps);
    expect(first.created).toBe(true);
    expect(second).toMatchObject({ created: false, admin: first.admin, organization: first.organization });
    expect(first.admin.email).toBe(DEMO_ADMIN_EMAIL);
  });
});
