import { afterEach, describe, expect, it } from 'vitest';
import { createApp } from '../app';
import { HUBSPOT_REQUIRED_SCOPES } from '../connect/scopes';
import { signInAdmin, type SignedInAdmin } from '../../testing/admin-test-support';
import { createTestDeps, TEST_NOW, type TestDeps } from '../../testing/test-deps';

let deps: TestDeps;
afterEach(async () => deps.cleanup());

const PAGE = '/settings/integrations/hubspot';
const attr = (html: string, testId: string, name: string) => new RegExp(`data-testid="${testId}"[^>]*${name}="([^"]*)"`).exec(html)?.[1] ?? null;
const has = (html: string, testId: string) => html.includes(`data-testid="${testId}"`);

async function setUp(options: { oauthOnly?: boolean } = {}): Promise<SignedInAdmin> {
  deps = createTestDeps({ env: { PUBLIC_BASE_URL: 'https://opencx.example.com' } });
  return signInAdmin(deps, createApp(deps), options);
}

const details = (organizationId: string) => ({
  organizationId,
  portalId: 62515,
  connectedBy: { hubspotUserId: 9586504, email: 'jane.agent@example.com' },
  scopes: ['oauth', 'tickets'],
  hubDomain: null,
});

describe('the integration card', () => {
  it('shows Not connected, then Connected with portal, auth mode, who and since, then Reconnect required with the reason', async () => {
    const admin = await setUp();
    let html = await (await admin.get(PAGE)).text();
    expect(attr(html, 'integration-card', 'data-status')).toBe('not_connected');

    const tokens = { accessToken: 'secret-access-token', refreshToken: 'secret-refresh-token', expiresAt: TEST_NOW + 1_800_000 };
    await deps.store.connections.saveOAuthConnection({ ...details(admin.organizationId), tokens }, TEST_NOW);
    html = await (await admin.get(PAGE)).text();
    expect(attr(html, 'integration-card', 'data-status')).toBe('connected');
    expect(html).toContain('data-testid="portal-id">62515<');
    expect(attr(html, 'auth-mode', 'data-auth-mode')).toBe('oauth');
    expect(html).toContain('OAuth Public App');
    expect(html).toContain('jane.agent@example.com');
    expect(html).toContain('2026-01-15 10:00 UTC');
    expect(html).not.toMatch(/secret-(access|refresh)-token/);

    await deps.store.connections.setStatus(62515, 'reconnect_required', 'HubSpot rejected the refresh token.', TEST_NOW);
    html = await (await admin.get(PAGE)).text();
    expect(attr(html, 'integration-card', 'data-status')).toBe('reconnect_required');
    expect(has(html, 'reconnect-prompt')).toBe(true);
    expect(html).toContain('HubSpot rejected the refresh token.');

    await deps.store.connections.disconnect(62515, null, TEST_NOW);
    html = await (await admin.get(PAGE)).text();
    expect(attr(html, 'integration-card', 'data-status')).toBe('not_connected');
    expect(has(html, 'reconnect-prompt')).toBe(false);
  });

  it('asks to approve the scopes an OAuth grant lacks, naming what fails without each', async () => {
    const admin = await setUp();
    const tokens = { accessToken: 'a', refreshToken: 'r', expiresAt: TEST_NOW + 1_800_000 };
    await deps.store.connections.saveOAuthConnection({ ...details(admin.organizationId), tokens }, TEST_NOW);
    let html = await (await admin.get(PAGE)).text();
    expect(has(html, 'missing-scopes')).toBe(true);
    expect(html).toContain('data-scope="crm.objects.contacts.write"');
    expect(html).toContain('create the handoff note on a ticket');
    expect(html).not.toContain('data-scope="tickets"');
    expect(has(html, 'grant-scopes-button')).toBe(true);

    await deps.store.connections.saveOAuthConnection({ ...details(admin.organizationId), scopes: [...HUBSPOT_REQUIRED_SCOPES], tokens }, TEST_NOW);
    html = await (await admin.get(PAGE)).text();
    expect(has(html, 'missing-scopes')).toBe(false);
  });

  it('shows the Action recommended banner only to an organization on a Private App token, and its own webhook URL first', async () => {
    const admin = await setUp();
    let html = await (await admin.get(PAGE)).text();
    expect(has(html, 'migration-banner')).toBe(false);
    const { secret } = await deps.store.legacyWebhooks.getOrCreate(admin.organizationId, TEST_NOW);
    expect(html).toContain(`<code data-testid="webhook-url">https://opencx.example.com/hubspot/webhooks/legacy/${secret}</code>`);
    await deps.store.connections.savePrivateAppConnection({ ...details(admin.organizationId), token: 'pat-na1-secret' }, TEST_NOW);
    html = await (await admin.get(PAGE)).text();
    expect(has(html, 'migration-banner')).toBe(true);
    expect(html.match(/data-testid="migration-reason"/g)).toHaveLength(4);
    expect(html).not.toContain('pat-na1-secret');
  });

  it('gives the organization a new webhook URL on request: the old one stops working', async () => {
    const admin = await setUp();
    const before = await deps.store.legacyWebhooks.getOrCreate(admin.organizationId, TEST_NOW);
    const res = await admin.post(`${PAGE}/legacy-webhook/rotate`, {});
    expect(res.status).toBe(303);
    const html = await (await admin.get(PAGE)).text();
    const after = await deps.store.legacyWebhooks.getOrCreate(admin.organizationId, TEST_NOW);
    expect(after.secret).not.toBe(before.secret);
    expect(html).toContain(`/hubspot/webhooks/legacy/${after.secret}`);
    expect(html).not.toContain(before.secret);
  });

  it('hides the legacy form from OAuth-only organizations', async () => {
    const admin = await setUp({ oauthOnly: true });
    const html = await (await admin.get(PAGE)).text();
    expect(has(html, 'option-oauth')).toBe(true);
    expect(has(html, 'option-private-app')).toBe(false);
    expect(html).not.toContain('/settings/integrations/hubspot/private-app');
    const res = await admin.post(`${PAGE}/private-app`, { token: 'pat-na1-00000000-0000-0000-0000-000000000000' });
    expect(res.status).toBe(403);
    expect(await res.json()).toMatchObject({ error: { code: 'forbidden' } });
  });
});

describe('the organization’s HubSpot settings', () => {
  it('saves the email signature and what unassigning an agent does', async () => {
    const admin = await setUp();
    const res = await admin.post(`${PAGE}/preferences`, { signatureEnabled: 'on', signatureText: '  — The Acme team ', unassignPolicy: 'resume' });
    expect(res.status).toBe(303);
    expect(await deps.store.signatures.get(admin.organizationId)).toMatchObject({ enabled: true, text: '— The Acme team' });
    expect((await deps.store.organizations.get(admin.organizationId))?.unassignPolicy).toBe('resume');
    const cookie = res.headers.getSetCookie().find((c) => c.startsWith('opencx_flash='))!.split(';')[0]!;
    const html = await (await createApp(deps).request(PAGE, { headers: { cookie: `${admin.cookie}; ${cookie}` } })).text();
    expect(html).toContain('data-toast="preferences_saved"');
    expect(html).toMatch(/name="unassignPolicy" value="resume" checked/);
    expect(html).toContain('— The Acme team</textarea>');

    await admin.post(`${PAGE}/preferences`, { signatureText: 'kept', unassignPolicy: 'stay_paused' });
    expect(await deps.store.signatures.get(admin.organizationId)).toMatchObject({ enabled: false, text: 'kept' });
    expect((await deps.store.organizations.get(admin.organizationId))?.unassignPolicy).toBe('stay_paused');
  });

  it('refuses bad input on the page, changing nothing', async () => {
    const admin = await setUp();
    for (const bad of [{ signatureText: 'x'.repeat(2001), unassignPolicy: 'resume' }, { signatureText: 'ok', unassignPolicy: 'sometimes' }]) {
      const res = await admin.post(`${PAGE}/preferences`, bad);
      expect(res.status).toBe(400);
      expect(await res.text()).toContain('data-testid="page-error"');
    }
    expect(await deps.store.signatures.get(admin.organizationId)).toBeNull();
    expect((await deps.store.organizations.get(admin.organizationId))?.unassignPolicy).toBe('stay_paused');
  });
});

describe('every admin form is CSRF-protected', () => {
  const cases: [string, Record<string, string>][] = [
    ['/settings/integrations/hubspot/preferences', { signatureText: 'hacked', unassignPolicy: 'resume' }],
    ['/settings/integrations/hubspot/disconnect', {}],
    ['/settings/integrations/hubspot/private-app', { token: 'pat-na1-x' }],
    ['/settings/integrations/hubspot/rollback', {}],
    ['/oauth/install', {}],
    ['/admin/sign-out', {}],
  ];

  it.each(cases)('%s refuses a missing or foreign token, and a post from another site', async (path, fields) => {
    const admin = await setUp();
    const other = await signInAdmin(deps, createApp(deps), { email: 'other@else.test', organizationName: 'Else' });
    const attempts = [
      admin.post(path, { ...fields, _csrf: '' }),
      admin.post(path, { ...fields, _csrf: other.csrf }),
      admin.post(path, fields, { origin: 'https://evil.example' }),
      admin.post(path, fields, { 'sec-fetch-site': 'cross-site' }),
    ];
    for (const res of await Promise.all(attempts)) {
      expect(res.status).toBe(403);
      expect(await res.text()).toContain('data-error-code="csrf_failed"');
    }
    expect(await deps.store.signatures.get(admin.organizationId)).toBeNull();
    expect((await admin.get(PAGE)).status).toBe(200); // still signed in
  });

  it('accepts the page’s own token from its own origin', async () => {
    const admin = await setUp();
    const res = await admin.post(`${PAGE}/preferences`, { signatureText: 'ok', unassignPolicy: 'resume' }, { origin: 'https://opencx.example.com', 'sec-fetch-site': 'same-origin' });
    expect(res.status).toBe(303);
  });
});
