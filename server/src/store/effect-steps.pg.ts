import type { EffectStepsStore } from './effect-steps.store';
import type { Sql } from './pg-sql';
import { fromJson, toJson } from './sqlite-values';

export function createEffectStepsPg(sql: Sql): EffectStepsStore {
  return {
    async find(stepKey) {
      const row = await sql.one<{ result: string | null; done_at: number }>('SELECT result, done_at FROM effect_steps WHERE step_key = $1', [stepKey]);
      if (!row) return undefined;
      return { result: row.result === null ? null : fromJson<unknown>(row.result, 'effect_steps.result'), doneAt: row.done_at };
    },
    async record(stepKey, result, now) {
      // A step recorded twice (two workers after a lost lease) keeps its first result.
      await sql.run('INSERT INTO effect_steps (step_key, result, done_at) VALUES ($1, $2, $3) ON CONFLICT (step_key) DO NOTHING', [
        stepKey,
        result === undefined ? null : toJson(result),
        now,
      ]);
    },
  };
}
