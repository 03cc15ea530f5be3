import type { SqliteDatabase } from './db';
import type { EffectStepsStore } from './effect-steps.store';
import { fromJson, toJson } from './sqlite-values';

export function createEffectStepsSqlite(db: SqliteDatabase): EffectStepsStore {
  const select = db.prepare<[string], { result: string | null; done_at: number }>(
    'SELECT result, done_at FROM effect_steps WHERE step_key = ?',
  );
  // A step recorded twice (two workers after a lost lease) keeps its first result.
  const insert = db.prepare('INSERT INTO effect_steps (step_key, result, done_at) VALUES (?, ?, ?) ON CONFLICT (step_key) DO NOTHING');
  return {
    async find(stepKey) {
      const row = select.get(stepKey);
      if (!row) return undefined;
      return { result: row.result === null ? null : fromJson<unknown>(row.result, 'effect_steps.result'), doneAt: row.done_at };
    },
    async record(stepKey, result, now) {
      insert.run(stepKey, result === undefined ? null : toJson(result), now);
    },
  };
}
