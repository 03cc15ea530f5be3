import { describe, expect, it } from 'vitest';
import { ENGINES } from '../../testing/engine-deps';
import { useSeededEngine } from '../../testing/seeded-engine';
import { TEST_NOW } from '../../testing/test-deps';
import { DEFAULT_HANDOFF_SETTINGS } from './handoff-settings.store';

describe.each(ENGINES)('%s', (engine) => {
  const engineDeps = useSeededEngine(engine);

  describe('handoff settings store', () => {
    it('answers the defaults (tickets on) until saved, then what was saved, replaced as a whole', async () => {
      const { handoffSettings } = engineDeps().store;
      expect(await handoffSettings.get('org_1')).toEqual(DEFAULT_HANDOFF_SETTINGS);
      const chosen = { createTicket: false, defaultOwnerId: '52550153', pipelineStage: { pipelineId: '0', stageId: '3' } };
      await handoffSettings.save('org_1', chosen, TEST_NOW);
      expect(await handoffSettings.get('org_1')).toEqual(chosen);
      await handoffSettings.save('org_1', { createTicket: true, defaultOwnerId: null, pipelineStage: null }, TEST_NOW + 1);
      expect(await handoffSettings.get('org_1')).toEqual({ createTicket: true, defaultOwnerId: null, pipelineStage: null });
    });

    it('refuses an organization that does not exist', async () => {
      await expect(engineDeps().store.handoffSettings.save('org_missing', DEFAULT_HANDOFF_SETTINGS, TEST_NOW)).rejects.toThrow();
    });
  });
});
