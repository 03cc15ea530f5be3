import { describe, expect, it } from 'vitest';
import { ENGINES, rawRows } from '../../testing/engine-deps';
import { useSeededEngine } from '../../testing/seeded-engine';
import { TEST_NOW } from '../../testing/test-deps';

const KEY = 'ocx_live_CANARY-9e1d7c5b-opencx-key-4f2a';

describe.each(ENGINES)('%s', (engine) => {
  const engineDeps = useSeededEngine(engine);

  describe('OpenCX keys store', () => {
    it('keeps the key encrypted, bound to its organization, and shows only its ending', async () => {
      expect(await engineDeps().store.opencxKeys.get('org_1')).toBeNull();
      await engineDeps().store.opencxKeys.save('org_1', KEY, TEST_NOW);
      expect(await engineDeps().store.opencxKeys.get('org_1')).toEqual({ organizationId: 'org_1', apiKey: KEY, keyEnding: '4f2a', updatedAt: TEST_NOW, lastError: null });
      const raw = JSON.stringify(await rawRows(engineDeps(), 'opencx_api_keys'));
      expect(raw).not.toContain('CANARY');
      expect(raw).toContain('4f2a');
      expect(await engineDeps().store.opencxKeys.countConfigured()).toBe(1);
    });

    it('records the last error until a new key or a success clears it; removing forgets the key', async () => {
      await engineDeps().store.opencxKeys.save('org_1', KEY, TEST_NOW);
      const error = { code: 'key_refused', message: 'OpenCX refused the key (401)', at: TEST_NOW + 5 };
      await engineDeps().store.opencxKeys.recordError('org_1', error);
      expect((await engineDeps().store.opencxKeys.get('org_1'))?.lastError).toEqual(error);
      await engineDeps().store.opencxKeys.clearError('org_1');
      expect((await engineDeps().store.opencxKeys.get('org_1'))?.lastError).toBeNull();
      await engineDeps().store.opencxKeys.recordError('org_1', error);
      await engineDeps().store.opencxKeys.save('org_1', 'ocx_live_other_9999', TEST_NOW + 9);
      expect(await engineDeps().store.opencxKeys.get('org_1')).toMatchObject({ keyEnding: '9999', lastError: null, updatedAt: TEST_NOW + 9 });
      expect(await engineDeps().store.opencxKeys.remove('org_1')).toBe(true);
      expect(await engineDeps().store.opencxKeys.remove('org_1')).toBe(false);
      expect(await engineDeps().store.opencxKeys.countConfigured()).toBe(0);
    });
  });

  describe('OpenCX sessions store', () => {
    it('links a session once (the first link wins a race), replaces it on demand, and never moves the forwarded mark back', async () => {
      const links = await Promise.all(['ocx-a', 'ocx-b'].map((id) => engineDeps().store.opencxSessions.link({ sessionId: 'ses_1', organizationId: 'org_1', opencxSessionId: id }, TEST_NOW)));
      expect(links[0]!.opencxSessionId).toBe(links[1]!.opencxSessionId);
      await engineDeps().store.opencxSessions.markForwarded('ses_1', TEST_NOW + 10, TEST_NOW);
      await engineDeps().store.opencxSessions.markForwarded('ses_1', TEST_NOW + 5, TEST_NOW);
      await engineDeps().store.opencxSessions.markHandedOff('ses_1', TEST_NOW + 15);
      await engineDeps().store.opencxSessions.markHandedOff('ses_1', TEST_NOW + 17);
      await engineDeps().store.opencxSessions.markClosed('ses_1', TEST_NOW + 20);
      expect(await engineDeps().store.opencxSessions.get('ses_1')).toEqual({
        sessionId: 'ses_1', organizationId: 'org_1', opencxSessionId: links[0]!.opencxSessionId, forwardedUntil: TEST_NOW + 10, handedOffAt: TEST_NOW + 15, closedAt: TEST_NOW + 20,
      });
      const replaced = await engineDeps().store.opencxSessions.link({ sessionId: 'ses_1', organizationId: 'org_1', opencxSessionId: 'ocx-c', replace: true }, TEST_NOW + 30);
      expect(replaced).toMatchObject({ opencxSessionId: 'ocx-c', forwardedUntil: TEST_NOW + 10, handedOffAt: null, closedAt: null });
      expect(await engineDeps().store.opencxSessions.get('ses_2')).toBeNull();
    });
  });
});
