// The OpenCX API key on Settings → Integrations → HubSpot: saved encrypted, shown only by its ending, removable,
// refused when malformed, and OpenCX's last refusal shown until a call succeeds.
import { readFileSync } from 'node:fs';
import { Writable } from 'node:stream';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { createApp } from '../app';
import { signInAdmin, type SignedInAdmin } from '../../testing/admin-test-support';
import { createLogger } from '../logger';
import { createTestDeps, TEST_NOW, type TestDeps } from '../../testing/test-deps';

const PAGE = '/settings/integrations/hubspot';
const KEY = 'ocx_live_CANARY-5d2e8a1f-settings-4f2a';
let deps: TestDeps;
afterEach(async () => deps.cleanup());

async function setUp(env: Record<string, string> = {}): Promise<{ admin: SignedInAdmin; logs: string[] }> {
  deps = createTestDeps({ env: { PUBLIC_BASE_URL: 'https://opencx.example.com', ...env } });
  const logs: string[] = [];
  const logger = createLogger({ level: 'trace' }, new Writable({ write: (chunk, _e, done) => (logs.push(String(chunk)), done()) }));
  const app = createApp({ ...deps, logger });
  return { admin: await signInAdmin(deps, app), logs };
}
const section = (html: string) => /data-testid="opencx-key"[\s\S]*?<\/section>/.exec(html)?.[0] ?? '';

describe('the OpenCX API key form', () => {
  it('saves the key encrypted, shows only its ending, and removes it', async () => {
    const { admin, logs } = await setUp();
    let html = section(await (await admin.get(PAGE)).text());
    expect(html).toContain('data-key-set="no"');
    expect(html).toContain('the embedded FAQ agent answers customers');

    const res = await admin.post(`${PAGE}/opencx-key`, { apiKey: `  ${KEY}\n` });
    expect([res.status, res.headers.get('location')]).toEqual([303, PAGE]);
    expect(await deps.store.opencxKeys.get(admin.organizationId)).toMatchObject({ apiKey: KEY, keyEnding: '4f2a' });
    const page = await (await admin.get(PAGE)).text();
    html = section(page);
    expect(html).toContain('data-key-set="yes"');
    expect(html).toContain('Set, ending in <strong>…4f2a</strong>');
    expect(html).toMatch(/<input id="opencx-api-key" type="password" name="apiKey"(?![^>]*value=)/);
    expect(page).not.toContain('CANARY');

    // Neither the database file (nor its WAL) nor any log line holds the key in clear.
    const db = new Database(deps.config.databasePath);
    db.pragma('wal_checkpoint(FULL)');
    db.close();
    expect(readFileSync(deps.config.databasePath).includes('CANARY')).toBe(false);
    expect(logs.join('')).toContain('OpenCX API key saved');
    expect(logs.join('')).not.toContain('CANARY');

    expect((await admin.post(`${PAGE}/opencx-key/remove`)).status).toBe(303);
    expect(await deps.store.opencxKeys.get(admin.organizationId)).toBeNull();
    expect(section(await (await admin.get(PAGE)).text())).toContain('data-key-set="no"');
  });

  it('says which AI answers without a key when OPENCX_AI_URL is set', async () => {
    const { admin } = await setUp({ OPENCX_AI_URL: 'https://ai.example.com' });
    expect(section(await (await admin.get(PAGE)).text())).toContain('the AI service configured for this server answers customers');
  });

  it.each([
    ['', /Paste the whole OpenCX API key/],
    ['short', /at least 8 characters/],
    ['ocx_live_has a space', /no spaces or line breaks/],
    [`ocx_live_${'x'.repeat(600)}`, /too long/],
  ])('refuses %j on the page, saving nothing', async (apiKey, message) => {
    const { admin } = await setUp();
    const res = await admin.post(`${PAGE}/opencx-key`, { apiKey });
    expect(res.status).toBe(400);
    expect(/data-testid="page-error">([^<]*)</.exec(await res.text())?.[1]).toMatch(message);
    expect(await deps.store.opencxKeys.get(admin.organizationId)).toBeNull();
  });

  it('shows OpenCX\'s last refusal with its time and what to do, until it is cleared', async () => {
    const { admin } = await setUp();
    await admin.post(`${PAGE}/opencx-key`, { apiKey: KEY });
    await deps.store.opencxKeys.recordError(admin.organizationId, { code: 'key_refused', message: 'OpenCX refused the API key (401 Unauthorized): create a new key.', at: TEST_NOW });
    const html = section(await (await admin.get(PAGE)).text());
    expect(html).toMatch(/data-testid="opencx-key-error" data-code="key_refused">OpenCX refused a request on 2026-01-15 10:00 UTC: OpenCX refused the API key \(401 Unauthorized\)/);
    await deps.store.opencxKeys.clearError(admin.organizationId);
    expect(section(await (await admin.get(PAGE)).text())).not.toContain('opencx-key-error');
  });

  it.each([`${PAGE}/opencx-key`, `${PAGE}/opencx-key/remove`])('%s refuses a post without the page\'s CSRF token', async (path) => {
    const { admin } = await setUp();
    const res = await admin.post(path, { apiKey: KEY, _csrf: '' });
    expect(res.status).toBe(403);
    expect(await deps.store.opencxKeys.get(admin.organizationId)).toBeNull();
  });
});
