import { z } from 'zod';
import { optionalText } from './fields';
import { actionOutputSchema } from './outputs';

/** "Send to OpenCX AI": resumes the AI and asks it to answer now, optionally with an instruction. */
export const sendToAiInputSchema = z.object({
  instruction: optionalText(2000),
});
export type SendToAiInput = z.infer<typeof sendToAiInputSchema>;

/** Sending resumes the AI, so the outcomes are those of a resume; `aiReply` holds the AI's answer once known. */
export const sendToAiOutputSchema = actionOutputSchema(['resumed', 'already_active']).extend({
  aiReply: z.string().optional(),
});
export type SendToAiOutput = z.infer<typeof sendToAiOutputSchema>;
