// Hostile input, part 1: anything at all sent to any public endpoint — random and mutated URLs, methods, headers
// (signature headers, content types, cookies, origins) and bodies, with and without a signed-in admin's session.
// Never a 5xx or a crash; API errors are JSON `{error:{code,message}}`; pages may be HTML; the tenants' data is
// unchanged and the database sound afterwards.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hostileBody, hostileHeaders, hostileMethod, hostilePath, PUBLIC_ROUTES, SETTINGS, contentType, headerText } from './fuzz-arbitraries';
import { expectDatabaseSound, problemWith, read, request, snapshot, startHostile, type Hostile } from './hostile-kit';

let h: Hostile;
beforeAll(async () => {
  h = await startHostile();
});
afterAll(async () => {
  await h?.close();
});

const methodOf = (path: string, chosen: string | null): string =>
  chosen ?? PUBLIC_ROUTES.find(([, p]) => path.startsWith(p))?.[0] ?? 'GET';

/** The tenants' rows only (the admin's own organization may legitimately change through its own forms). */
const tenantRows = () =>
  Object.fromEntries(Object.entries(snapshot(h)).map(([table, rows]) => [table, rows.filter((r) => /alpha|bravo/.test(JSON.stringify(r)))]));

describe('any request to any public endpoint', () => {
  it('never gets a 5xx, and API errors are JSON — without credentials', async () => {
    const before = snapshot(h);
    await fc.assert(
      fc.asyncProperty(hostilePath, hostileMethod, hostileHeaders, hostileBody, async (path, chosen, headers, body) => {
        const method = methodOf(path, chosen);
        const answer = await read(await request(h, method, path, { headers, body }));
        expect(problemWith(path, answer, method), `${method} ${path} ${JSON.stringify(headers)}`).toBeNull();
      }),
      { numRuns: 1500 },
    );
    // Nothing here was signed by HubSpot or sent by a signed-in admin: nothing may have changed.
    expect(snapshot(h)).toEqual(before);
    expectDatabaseSound(h);
  });

  it('never gets a 5xx from the admin pages and forms — with a signed-in admin, whatever the form', async () => {
    const before = tenantRows();
    const browserRoutes = PUBLIC_ROUTES.filter(([, path]) => /^\/(settings|admin|oauth)/.test(path));
    const form = fc.oneof(
      fc.dictionary(fc.constantFrom('_csrf', 'token', 'signatureEnabled', 'signatureText', 'unassignPolicy', 'x', '__proto__'), headerText(80)),
      fc.record({ signatureEnabled: fc.constantFrom('on', 'off', ''), signatureText: fc.string({ maxLength: 2500 }), unassignPolicy: fc.constantFrom('stay_paused', 'resume', 'x') }),
    );
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...browserRoutes), form, fc.boolean(), contentType, fc.option(hostileBody), async ([method, path], fields, withCsrf, type, raw) => {
        const body = raw ?? new URLSearchParams({ ...(withCsrf ? { _csrf: h.admin.csrf } : {}), ...fields }).toString();
        const headers = { cookie: h.admin.cookie, 'content-type': raw === null && type === '' ? 'application/x-www-form-urlencoded' : type };
        const answer = await read(await request(h, method, path, { headers, body }));
        expect(problemWith(path, answer, method), `${method} ${path} (${type}) ${typeof body === 'string' ? body.slice(0, 200) : '(bytes)'}`).toBeNull();
      }),
      { numRuns: 600 },
    );
    expect(tenantRows()).toEqual(before);
    expectDatabaseSound(h);
  });

  it('never gets a 5xx from the OAuth callback, whatever HubSpot (or someone pretending) sends back', async () => {
    const before = tenantRows();
    const value = fc.oneof(fc.constant(undefined), headerText(60), fc.constantFrom('', 'access_denied', 'invalid_scope', 'x'.repeat(2000)));
    await fc.assert(
      fc.asyncProperty(value, value, value, fc.boolean(), async (code, state, error, withSession) => {
        const query = new URLSearchParams();
        if (code !== undefined) query.set('code', code);
        if (state !== undefined) query.set('state', state);
        if (error !== undefined) query.set('error', error);
        const path = `/oauth/callback?${query.toString()}`;
        const answer = await read(await request(h, 'GET', path, { headers: withSession ? { cookie: h.admin.cookie } : {} }));
        expect(problemWith(path, answer), path).toBeNull();
      }),
      { numRuns: 150 },
    );
    expect(tenantRows()).toEqual(before);
    expectDatabaseSound(h);
  });

  it('refuses bodies over 1 MB with a JSON 413 on every endpoint', async () => {
    const huge = 'x'.repeat(1024 * 1024 + 1);
    const hugeJson = JSON.stringify([{ pad: 'y'.repeat(1024 * 1024) }]);
    for (const [method, path] of PUBLIC_ROUTES.filter(([m]) => m === 'POST')) {
      for (const body of [huge, hugeJson]) {
        const answer = await read(await request(h, method, path, { headers: { 'content-type': 'application/json', cookie: h.admin.cookie }, body }));
        expect(answer.status, `${method} ${path}`).toBe(413);
        expect(JSON.parse(answer.text), `${method} ${path}`).toMatchObject({ error: { code: 'payload_too_large', message: expect.any(String) } });
      }
    }
    expectDatabaseSound(h);
  });

  it('answers a malformed multipart form with a 4xx, not a 500 (admin sign-in and every admin form)', async () => {
    const garbage = { 'content-type': 'multipart/form-data; boundary=XyZ', cookie: h.admin.cookie };
    for (const path of ['/admin/sign-in', '/admin/sign-out', '/oauth/install', `${SETTINGS}/preferences`, `${SETTINGS}/private-app`, `${SETTINGS}/disconnect`]) {
      const answer = await read(await request(h, 'POST', path, { headers: garbage, body: 'not a multipart body' }));
      expect(problemWith(path, answer), `POST ${path}`).toBeNull();
      expect(answer.status, `POST ${path}`).toBeGreaterThanOrEqual(400);
    }
  });
});
