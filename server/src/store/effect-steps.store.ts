import type { Timestamp } from '@opencx/shared';

/**
 * Steps of an effect already performed, by a key naming the effect and the step (`effect:12:note:345`), so that
 * retrying an effect that half succeeded (a note on the first of two tickets) does not repeat what was done.
 */
export interface EffectStepsStore {
  /** The step's recorded result, or undefined when it was not done. */
  find(stepKey: string): Promise<{ result: unknown; doneAt: Timestamp } | undefined>;
  record(stepKey: string, result: unknown, now: Timestamp): Promise<void>;
}
