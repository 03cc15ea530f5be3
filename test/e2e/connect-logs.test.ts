import { createLogger } from '@opencx/server';
import { afterEach, describe, expect, it } from 'vitest';
import { startStack, type Stack } from '../support/stack';
import { answerConsent, clickConnect, DEMO_PORTAL, signInNewAdmin } from './support/connect-flow';
import { connectionState } from './support/snapshots';

let stack: Stack | undefined;
afterEach(async () => {
  await stack?.close();
  stack = undefined;
});

describe('Connect logs', () => {
  it('never contain a token, an authorization code, a state, a sign-in link or a session cookie', async () => {
    const lines: string[] = [];
    const logger = createLogger({ level: 'trace' }, { write: (line: string) => void lines.push(line) });
    stack = await startStack({ start: { logger } });
    const admin = await signInNewAdmin(stack);
    const { authorizeUrl, consent } = await clickConnect(admin.browser, admin.page);
    const callback = await answerConsent(stack, admin.browser, consent);
    await admin.browser.open(`${callback}`);
    await admin.browser.open(`${stack.serverUrl}/oauth/callback?code=${callback.searchParams.get('code')}&state=${authorizeUrl.searchParams.get('state')}`); // a replay, refused
    const { tokens } = await connectionState(stack, admin.organization.id);
    const page = await admin.browser.open(`${stack.serverUrl}/settings/integrations/hubspot`);
    await admin.browser.submit(page, '/settings/integrations/hubspot/disconnect');

    const secrets = [
      tokens!.oauth!.accessToken,
      tokens!.oauth!.refreshToken,
      callback.searchParams.get('code')!,
      authorizeUrl.searchParams.get('state')!,
      admin.browser.cookie('127.0.0.1', 'opencx_admin')!,
    ];
    const log = lines.join('');
    expect(log).toContain('HubSpot portal connected');
    expect(log).toContain(String(DEMO_PORTAL));
    for (const secret of secrets) expect(log).not.toContain(secret);
    expect(log).not.toMatch(/sign-in\?token=/);
  });
});
