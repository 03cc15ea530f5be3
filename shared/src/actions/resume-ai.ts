import { z } from 'zod';
import { optionalText } from './fields';
import { actionOutputSchema } from './outputs';

/** "Resume OpenCX AI": the note only goes to the audit trail. */
export const resumeAiInputSchema = z.object({
  note: optionalText(500),
});
export type ResumeAiInput = z.infer<typeof resumeAiInputSchema>;

export const resumeAiOutputSchema = actionOutputSchema(['resumed', 'already_active']);
export type ResumeAiOutput = z.infer<typeof resumeAiOutputSchema>;
