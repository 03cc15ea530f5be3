import faqJson from './faq.json' with { type: 'json' };
import type { AiAgent, AiHistoryEntry, AiReply, AiReplyInput } from './agent';
import { asksForPerson, bestFaqMatch, faqSchema, type FaqEntry } from './faq-match';

/** Parsed once at import: a broken faq.json edit fails at start, not on the first customer question. */
export const DEFAULT_FAQ: readonly FaqEntry[] = faqSchema.parse(faqJson).entries;

export const NO_ANSWER_REASON = "I couldn't find an answer to the customer's question in the FAQ.";
export const ASKED_FOR_PERSON_REASON = 'The customer asked to talk to a person.';

// `say: …` scripts the exact reply; `prefix: …` puts a sentence before the FAQ answer. Any other instruction
// steers the topic: it is matched against the FAQ before the customer's message.
const DIRECTIVE = /^\s*(say|prefix)\s*:\s*(\S[\s\S]*)$/i;

/** System lines (status changes, notes) don't count as someone speaking. */
const lastSpoken = (history: readonly AiHistoryEntry[]): AiHistoryEntry | undefined =>
  history.findLast((entry) => entry.role !== 'system');

/**
 * The deterministic reply policy, in order: a scripted `say:`; an instruction that names an FAQ topic; nothing
 * to answer; the customer asks for a person; the FAQ entry the customer's message matches; else a handoff.
 */
export const replyFromFaq = (entries: readonly FaqEntry[], input: Omit<AiReplyInput, 'signal'>): AiReply => {
  const instruction = input.instruction?.trim() || null;
  const directive = instruction ? DIRECTIVE.exec(instruction) : null;
  const verb = directive?.[1]?.toLowerCase();
  const directiveText = directive?.[2]?.trim() ?? '';
  if (verb === 'say') return { kind: 'answer', text: directiveText };
  const withPrefix = (reply: AiReply): AiReply =>
    verb === 'prefix' && reply.kind === 'answer' ? { kind: 'answer', text: `${directiveText}\n\n${reply.text}` } : reply;

  const steer = instruction && !directive ? bestFaqMatch(entries, instruction) : null;
  if (steer) return { kind: 'answer', text: steer.entry.answer };

  const customer = input.history.findLast((entry) => entry.role === 'customer');
  if (!customer) return { kind: 'no_reply', reason: 'There is no customer message to answer.' };
  // Someone already answered after the customer. An instruction means a person asked for a reply anyway.
  if (!instruction && lastSpoken(input.history)?.role !== 'customer') {
    return { kind: 'no_reply', reason: 'The latest message is not from the customer.' };
  }
  if (asksForPerson(customer.text)) return { kind: 'handoff', reason: ASKED_FOR_PERSON_REASON };
  const match = bestFaqMatch(entries, customer.text);
  return match ? withPrefix({ kind: 'answer', text: match.entry.answer }) : { kind: 'handoff', reason: NO_ANSWER_REASON };
};

/** The embedded agent for local runs and tests: no network, same input → same reply. */
export const createFaqAgent = (entries: readonly FaqEntry[] = DEFAULT_FAQ): AiAgent => ({
  reply: ({ signal, ...input }) =>
    signal?.aborted ? Promise.reject(signal.reason) : Promise.resolve(replyFromFaq(entries, input)),
});
