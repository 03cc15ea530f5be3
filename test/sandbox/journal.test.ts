// The app's Webhooks Journal (docs/hubspot-contract.md §1.5): installs and uninstalls, read in batches with the app's
// client-credentials token, each entry a file fetched without a bearer.
import { describe, expect, it } from 'vitest';
import { takeContractViolations } from './contract/audit';
import { createSandbox } from './index';
import { bearer } from './test-kit';

async function appToken(sandbox: ReturnType<typeof createSandbox>): Promise<string> {
  const { clientId, clientSecret } = sandbox.appCredentials;
  const res = await sandbox.app.request('/oauth/2026-03/token', {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'client_credentials', client_id: clientId, client_secret: clientSecret, scope: 'developer.webhooks_journal.read' }).toString(),
  });
  expect(res.status).toBe(200);
  return ((await res.json()) as { access_token: string }).access_token;
}

describe('the Webhooks Journal', () => {
  it('records an install and an uninstall, in order, and reads on from an offset', async () => {
    const sandbox = createSandbox();
    const { accessToken } = sandbox.control.installApp({ portalId: 62515 });
    sandbox.control.uninstallApp({ portalId: 62515 });
    const token = await appToken(sandbox);

    const first = await sandbox.app.request('http://sandbox.test/webhooks-journal/journal/2026-03/batch/earliest/1', { headers: bearer(token) });
    expect(first.status).toBe(200);
    const [install] = ((await first.json()) as { results: { currentOffset: string; url: string }[] }).results;
    const file = await sandbox.app.request(install!.url);
    expect(await file.json()).toMatchObject({ subscriptionType: 'APP_LIFECYCLE_EVENT', action: 'APP_INSTALL', portalId: 62515 });

    const next = await sandbox.app.request(`/webhooks-journal/journal/2026-03/batch/${install!.currentOffset}/next/10`, { headers: bearer(token) });
    const rest = ((await next.json()) as { results: { url: string }[] }).results;
    expect(rest).toHaveLength(1);
    expect(await (await sandbox.app.request(rest[0]!.url)).json()).toMatchObject({ action: 'APP_UNINSTALL', portalId: 62515 });

    // A portal's token is not the app's: refused.
    sandbox.control.installApp({ portalId: 62515 });
    const portalToken = Object.values(sandbox.state.accessTokens).find((t) => !t.revoked && t.token !== accessToken)!.token;
    const refused = await sandbox.app.request('/webhooks-journal/journal/2026-03/batch/earliest/1', { headers: bearer(portalToken) });
    expect(refused.status).toBe(403);
    expect(takeContractViolations(sandbox).map((v) => v.kind)).toEqual(['missing_scope']);
    await sandbox.close();
  });
});
