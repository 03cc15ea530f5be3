import { initialAiControl, type AiControl } from '@opencx/shared';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { aSession } from '../../testing/fixtures';
import { ENGINES } from '../../testing/engine-deps';
import { useSeededEngine } from '../../testing/seeded-engine';
import { TEST_NOW } from '../../testing/test-deps';

describe.each(ENGINES)('%s', (engine) => {
  const deps = useSeededEngine(engine);

  const system = { kind: 'system' as const, id: null, name: null };
  const pausedUntil = (until: number | null): AiControl => ({
    state: { status: 'paused', source: 'card', by: system, reason: null, since: TEST_NOW, until },
    handoffRequestIds: ['req-1'],
  });

  describe('ai control store', () => {
    it('saves with a version that must match on the next save', async () => {
      const store = deps().store.aiControl;
      expect(await store.load('ses_1')).toBeNull();
      expect(await store.save('ses_1', initialAiControl(), null, TEST_NOW)).toBe(1);
      expect(await store.save('ses_1', pausedUntil(null), 1, TEST_NOW)).toBe(2);
      expect(await store.load('ses_1')).toEqual({ control: pausedUntil(null), version: 2 });

      await expect(store.save('ses_1', initialAiControl(), 1, TEST_NOW)).rejects.toMatchObject({ code: 'version_conflict' });
      await expect(store.save('ses_1', initialAiControl(), null, TEST_NOW)).rejects.toMatchObject({ code: 'version_conflict' });
      expect((await store.load('ses_1'))?.version).toBe(2);
    });

    it('lists timed pauses whose end has passed, earliest first, through the partial index', async () => {
      for (const [id, control] of [
        ['ses_a', pausedUntil(TEST_NOW + 3000)],
        ['ses_b', pausedUntil(TEST_NOW + 1000)],
        ['ses_c', pausedUntil(null)],
        ['ses_d', initialAiControl()],
        ['ses_e', pausedUntil(TEST_NOW + 9000)],
      ] as const) {
        await deps().store.sessions.create(aSession({ id, threadId: id }));
        await deps().store.aiControl.save(id, control, null, TEST_NOW);
      }
      expect(await deps().store.aiControl.listDueTimedResumes(TEST_NOW + 3000)).toEqual([
        { sessionId: 'ses_b', until: TEST_NOW + 1000 },
        { sessionId: 'ses_a', until: TEST_NOW + 3000 },
      ]);
      expect(await deps().store.aiControl.listDueTimedResumes(TEST_NOW + 9000, 1)).toHaveLength(1);

      // SQLite's planner must pick the partial index (PostgreSQL's picks by table statistics, so not on a few rows).
      if (deps().engine === 'sqlite') {
        const db = new Database(deps().config.databasePath, { readonly: true });
        try {
          const plan = db
            .prepare(
              `EXPLAIN QUERY PLAN SELECT session_id, paused_until FROM ai_control
               WHERE status = 'paused' AND paused_until IS NOT NULL AND paused_until <= ? ORDER BY paused_until LIMIT ?`,
            )
            .all(TEST_NOW, 10) as { detail: string }[];
          expect(plan.map((row) => row.detail).join(' ')).toContain('ai_control_timed_resumes');
        } finally {
          db.close();
        }
      }
    });

    it('appends audit events and lists them newest first', async () => {
      await deps().store.aiControl.appendEvents('ses_1', [
        { type: 'ai_paused', at: TEST_NOW, actor: system, detail: { source: 'card' } },
        { type: 'ai_resumed', at: TEST_NOW + 1, actor: system, detail: { why: 'resumed' } },
      ]);
      expect((await deps().store.aiControl.listEvents('ses_1', 10)).map((e) => e.type)).toEqual(['ai_resumed', 'ai_paused']);
    });
  });
});
