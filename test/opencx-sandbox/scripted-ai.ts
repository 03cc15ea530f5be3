// The stand-in's AI: scripted answers per question, a handoff when the customer asks for a person, and a plain
// acknowledgement otherwise, so a demo run always gets an answer that visibly came from the OpenCX API.
import type { OpenCxSandboxState, ScriptedAnswer } from './state';

/** Customers asking for a person get handed off, as OpenCX's AI does on its own. */
export const ASKS_FOR_A_HUMAN = /\b(human|person|real agent|someone real|talk to an agent|speak to an agent)\b/i;

export function answerFor(state: OpenCxSandboxState, question: string): ScriptedAnswer {
  const rule = state.rules.find((r) => r.match.test(question));
  if (rule) return rule.answer;
  if (ASKS_FOR_A_HUMAN.test(question)) return { handoff: true, text: 'I am handing you over to a person from our team.' };
  return { text: `Thanks for your message. (OpenCX API stand-in; it received: "${question.slice(0, 120)}")` };
}

/** The documented `autopilotResponse` (docs/opencx-api.md §3) for an answer, or null when the AI says nothing. */
export function autopilotResponseOf(answer: ScriptedAnswer, id: string) {
  const content = 'error' in answer ? '' : (answer.text ?? '');
  const error = 'error' in answer ? answer.error : false;
  if (!('error' in answer) && content === '') return null;
  return {
    type: 'text' as const,
    id,
    value: { error, content },
    mightSolveUserIssue: 'text' in answer && !('handoff' in answer),
    completelyAndFullyCoveredUserIssue: false,
    debugInfo: { actionCalls: 'handoff' in answer ? [{ action: { is_handoff_like: true } }] : [] },
    mode: null,
    didExitMode: false,
  };
}
