// For server tests of the admin pages: an organization with a signed-in admin, and form posts carrying its session.
import type { Hono } from 'hono';
import type { AppEnv } from '../src/deps';
import type { TestDeps } from './test-deps';
import { createOrganizationWithAdmin, issueSignInLink } from '../src/admin/provision';

export interface SignedInAdmin {
  organizationId: string;
  adminId: string;
  /** `name=value` of the session cookie, for a `cookie` header. */
  cookie: string;
  csrf: string;
  /** A POST of `form` (with this session's CSRF token unless `_csrf` is given) as a browser form would send it. */
  post(path: string, form?: Record<string, string>, headers?: Record<string, string>): Promise<Response>;
  get(path: string): Promise<Response>;
}

export async function signInAdmin(
  deps: TestDeps,
  app: Hono<AppEnv>,
  options: { oauthOnly?: boolean; email?: string; organizationName?: string } = {},
): Promise<SignedInAdmin> {
  const { organization, admin } = await createOrganizationWithAdmin(deps, {
    organizationName: options.organizationName ?? 'Acme',
    adminEmail: options.email ?? 'owner@acme.test',
    oauthOnly: options.oauthOnly ?? false,
  });
  const { url } = await issueSignInLink(deps, admin.id);
  const token = new URL(url).searchParams.get('token')!;
  const res = await app.request('/admin/sign-in', { method: 'POST', body: new URLSearchParams({ token }), headers: { 'content-type': 'application/x-www-form-urlencoded' } });
  const cookie = res.headers.getSetCookie()[0]!.split(';')[0]!;
  const page = await (await app.request('/settings/integrations/hubspot', { headers: { cookie } })).text();
  const csrf = /name="_csrf" value="([^"]+)"/.exec(page)![1]!;
  return {
    organizationId: organization.id,
    adminId: admin.id,
    cookie,
    csrf,
    post: async (path, form = {}, headers = {}) =>
      app.request(path, {
        method: 'POST',
        body: new URLSearchParams({ _csrf: csrf, ...form }),
        headers: { 'content-type': 'application/x-www-form-urlencoded', cookie, ...headers },
      }),
    get: async (path) => app.request(path, { headers: { cookie } }),
  };
}
