import { z } from 'zod';
import { optionalPositiveInt, optionalText } from './fields';
import { actionOutputSchema } from './outputs';

/** One year: a longer pause is a mistake in the workflow, not an intent. */
export const MAX_PAUSE_MINUTES = 60 * 24 * 365;

/** "Pause OpenCX AI": an empty duration pauses until someone resumes the AI. */
export const pauseAiInputSchema = z.object({
  durationMinutes: optionalPositiveInt(MAX_PAUSE_MINUTES),
  reason: optionalText(500),
});
export type PauseAiInput = z.infer<typeof pauseAiInputSchema>;

export const pauseAiOutputSchema = actionOutputSchema(['paused', 'already_paused']);
export type PauseAiOutput = z.infer<typeof pauseAiOutputSchema>;
