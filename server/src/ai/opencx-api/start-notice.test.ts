import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Logger } from '../../logger';
import { anOrganization } from '../../../testing/fixtures';
import { createTestDeps, TEST_NOW, type TestDeps } from '../../../testing/test-deps';
import { noticeAiAtStart } from './start-notice';

const APP = { HUBSPOT_CLIENT_ID: 'id', HUBSPOT_CLIENT_SECRET: 'secret', HUBSPOT_APP_ID: '1' };
let deps: TestDeps | undefined;
afterEach(() => deps?.cleanup());

const noticed = async (env: Record<string, string>, withKey = false) => {
  deps = createTestDeps({ env });
  if (withKey) {
    await deps.store.organizations.create(anOrganization());
    await deps.store.opencxKeys.save('org_1', 'ocx_live_notice_1234', TEST_NOW);
  }
  const warn = vi.fn();
  const said = await noticeAiAtStart({ ...deps, logger: { warn } as unknown as Logger });
  expect(warn).toHaveBeenCalledTimes(said ? 1 : 0);
  if (said) expect(warn.mock.calls[0]![1]).toMatch(/embedded FAQ agent answers customers/);
  return said;
};

describe('noticeAiAtStart', () => {
  it('warns against a real HubSpot app when no organization has a key and OPENCX_AI_URL is unset', async () => {
    expect(await noticed(APP)).toBe(true);
  });
  it.each([
    ['the local sandbox', { ...APP, HUBSPOT_API_BASE_URL: 'http://127.0.0.1:4010' }, false],
    ['no HubSpot app', {}, false],
    ['OPENCX_AI_URL set', { ...APP, OPENCX_AI_URL: 'https://ai.example.com' }, false],
    ['an organization with a key', APP, true],
  ])('says nothing with %s', async (_, env, withKey) => {
    expect(await noticed(env, withKey)).toBe(false);
  });
});
