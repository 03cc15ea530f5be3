import { createHash } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { createApp } from '../app';
import { openDatabase } from '../store/db';
import { createTestDeps, type TestDeps } from '../../testing/test-deps';
import { createOrganizationWithAdmin, issueSignInLink, SIGN_IN_LINK_TTL_MS } from './provision';
import { SESSION_TTL_MS } from './admin-session';

let deps: TestDeps;
afterEach(async () => deps.cleanup());

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');
const form = (fields: Record<string, string>, headers: Record<string, string> = {}) => ({
  method: 'POST',
  body: new URLSearchParams(fields),
  headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
});
const errorCode = async (res: Response) => /data-error-code="([^"]+)"/.exec(await res.text())?.[1];

async function setUp(env: Record<string, string> = {}) {
  deps = createTestDeps({ env });
  const app = createApp(deps);
  const { admin } = await createOrganizationWithAdmin(deps, { organizationName: 'Acme', adminEmail: 'owner@acme.test' });
  const link = await issueSignInLink(deps, admin.id);
  const token = new URL(link.url).searchParams.get('token')!;
  return { app, admin, link, token };
}

const rowsOf = (table: string) => {
  const db = openDatabase(deps.config.databasePath);
  try {
    return db.prepare(`SELECT * FROM ${table}`).all() as Record<string, unknown>[];
  } finally {
    db.close();
  }
};

describe('one-time sign-in links', () => {
  it('are printed under PUBLIC_BASE_URL and stored only as a hash', async () => {
    const { link, token } = await setUp({ PUBLIC_BASE_URL: 'https://opencx.example.com' });
    expect(link.url).toBe(`https://opencx.example.com/admin/sign-in?token=${token}`);
    const rows = rowsOf('admin_sign_in_links');
    expect(rows).toHaveLength(1);
    expect(rows[0]!['token_hash']).toBe(sha256(token));
    expect(JSON.stringify(rows)).not.toContain(token);
  });

  it('are not used up by opening them (link previews), only by the Sign in button', async () => {
    const { app, token } = await setUp();
    const page = await app.request(`/admin/sign-in?token=${token}`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('data-testid="sign-in-button"');
    const res = await app.request('/admin/sign-in', form({ token }));
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/settings/integrations/hubspot');
  });

  it('work once', async () => {
    const { app, token } = await setUp();
    expect((await app.request('/admin/sign-in', form({ token }))).status).toBe(303);
    const again = await app.request('/admin/sign-in', form({ token }));
    expect(again.status).toBe(400);
    expect(await errorCode(again)).toBe('link_used');
    expect(again.headers.getSetCookie()).toEqual([]);
  });

  it('expire after 15 minutes', async () => {
    const { app, token } = await setUp();
    deps.clock.advance(SIGN_IN_LINK_TTL_MS);
    const res = await app.request('/admin/sign-in', form({ token }));
    expect(res.status).toBe(400);
    expect(await errorCode(res)).toBe('link_expired');
  });

  it('refuse made-up tokens, and a sign-in posted from another site', async () => {
    const { app, token } = await setUp();
    const unknown = await app.request('/admin/sign-in', form({ token: 'A'.repeat(43) }));
    expect(unknown.status).toBe(400);
    expect(await errorCode(unknown)).toBe('link_invalid');
    const foreign = await app.request('/admin/sign-in', form({ token }, { origin: 'https://evil.example' }));
    expect(foreign.status).toBe(403);
    // The refused attempt did not use the link up.
    expect((await app.request('/admin/sign-in', form({ token }))).status).toBe(303);
  });
});

describe('admin sessions', () => {
  it('set an httpOnly, SameSite=Lax cookie, stored hashed; Secure and __Host- behind https', async () => {
    const plain = await setUp();
    const cookie = (await plain.app.request('/admin/sign-in', form({ token: plain.token }))).headers.getSetCookie()[0]!;
    expect(cookie).toMatch(/^opencx_admin=[A-Za-z0-9_-]{43};/);
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Lax/);
    expect(cookie).not.toMatch(/Secure/);
    const value = /^opencx_admin=([^;]+)/.exec(cookie)![1]!;
    expect(rowsOf('admin_sessions').map((r) => r['token_hash'])).toEqual([sha256(value)]);
    await deps.cleanup();

    const secure = await setUp({ PUBLIC_BASE_URL: 'https://opencx.example.com' });
    const https = (await secure.app.request('/admin/sign-in', form({ token: secure.token }))).headers.getSetCookie()[0]!;
    expect(https).toMatch(/^__Host-opencx_admin=/);
    expect(https).toMatch(/Secure/);
    expect(https).toMatch(/Path=\//);
  });

  it('open the settings page; without a session, or after it expires, the page asks to sign in (401)', async () => {
    const { app, token } = await setUp();
    expect((await app.request('/settings/integrations/hubspot')).status).toBe(401);
    const cookie = (await app.request('/admin/sign-in', form({ token }))).headers.getSetCookie()[0]!.split(';')[0]!;
    expect((await app.request('/settings/integrations/hubspot', { headers: { cookie } })).status).toBe(200);
    expect((await app.request('/settings/integrations/hubspot', { headers: { cookie: 'opencx_admin=' + 'x'.repeat(43) } })).status).toBe(401);
    deps.clock.advance(SESSION_TTL_MS);
    const expired = await app.request('/settings/integrations/hubspot', { headers: { cookie } });
    expect(expired.status).toBe(401);
    expect(await errorCode(expired)).toBe('sign_in_required');
  });

  it('end at sign-out (which needs the CSRF token like every form)', async () => {
    const { app, token } = await setUp();
    const cookie = (await app.request('/admin/sign-in', form({ token }))).headers.getSetCookie()[0]!.split(';')[0]!;
    const page = await (await app.request('/settings/integrations/hubspot', { headers: { cookie } })).text();
    const csrf = /name="_csrf" value="([^"]+)"/.exec(page)![1]!;
    expect((await app.request('/admin/sign-out', form({}, { cookie }))).status).toBe(403);
    const out = await app.request('/admin/sign-out', form({ _csrf: csrf }, { cookie }));
    expect(out.status).toBe(303);
    expect(out.headers.getSetCookie()[0]).toMatch(/^opencx_admin=;/);
    expect(rowsOf('admin_sessions')).toEqual([]);
    expect((await app.request('/settings/integrations/hubspot', { headers: { cookie } })).status).toBe(401);
  });
});
