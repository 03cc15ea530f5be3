import { z } from 'zod';

export const faqEntrySchema = z.object({
  id: z.string().min(1),
  question: z.string().min(1),
  keywords: z.array(z.string().trim().min(1)).min(1),
  answer: z.string().trim().min(1),
});
export const faqSchema = z.object({ entries: z.array(faqEntrySchema).min(1) });
export type FaqEntry = z.infer<typeof faqEntrySchema>;

/** Lowercase, accents stripped ("à" → "a", so patterns stay ASCII), anything but letters and digits → one space. */
export const normalizeText = (text: string): string =>
  text
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();

// Words that say nothing about the topic; they don't count against coverage.
const STOPWORDS = new Set(
  ('a an the i im me my mine you your we our us it its is are am was were be been do does did can could would ' +
    'will shall should to of in on at for with and or but so if this that these those what whats which how ' +
    'please pls thanks thank there here have has had get got want wanted like just about from not no yes ok ' +
    'okay').split(' '),
);

/** Short words must match exactly ("hi" is not "his"); longer ones also match words they start ("refund" → "refunded"). */
const wordMatches = (token: string, word: string): boolean =>
  token === word || (word.length >= 4 && token.startsWith(word));

/** A phrase matches consecutive words, each by the same rule as a single word. */
const keywordMatches = (tokens: string[], keyword: string[]): boolean =>
  tokens.some((_, start) => keyword.every((word, i) => wordMatches(tokens[start + i] ?? '', word)));

export interface FaqMatch {
  entry: FaqEntry;
  /** Sum over matched keywords of their word count: a matched phrase is stronger evidence than a word. */
  score: number;
  /** Share of the message's topic words that the entry's keywords explain. */
  coverage: number;
}

/** A match needs two points of evidence, or one that explains at least half of a short message. */
export const MIN_SCORE = 2;
export const MIN_COVERAGE = 0.5;

const scoreEntry = (entry: FaqEntry, tokens: string[]): FaqMatch => {
  const content = tokens.filter((t) => t.length > 1 && !STOPWORDS.has(t));
  const covered = new Set<string>();
  let score = 0;
  for (const keyword of entry.keywords.map((k) => normalizeText(k).split(' '))) {
    if (!keywordMatches(tokens, keyword)) continue;
    score += keyword.length;
    for (const word of keyword) for (const t of content) if (wordMatches(t, word)) covered.add(t);
  }
  return { entry, score, coverage: content.length === 0 ? 0 : covered.size / new Set(content).size };
};

/** The best entry for a message, or null. Ties go to the entry listed first, so results never depend on luck. */
export const bestFaqMatch = (entries: readonly FaqEntry[], text: string): FaqMatch | null => {
  const tokens = normalizeText(text).split(' ').filter(Boolean);
  let best: FaqMatch | null = null;
  for (const entry of entries) {
    const match = scoreEntry(entry, tokens);
    const good = match.score >= MIN_SCORE || (match.score > 0 && match.coverage >= MIN_COVERAGE);
    const better =
      best === null || match.score > best.score || (match.score === best.score && match.coverage > best.coverage);
    if (good && better) best = match;
  }
  return best;
};

// Asking for a person, in a few phrasings and languages (checked on normalized text: lowercase, no accents).
const PERSON = '(human|humans|person|people|agent|representative|rep|operator|manager|supervisor|someone|somebody|staff|employee)';
const HANDOFF_PATTERNS: readonly RegExp[] = [
  // a request verb, then the person within four words: "can I talk to a human", "get me your manager"
  new RegExp(`\\b(talk|speak|chat|connect|transfer|put|get|need|want|reach|contact)\\b( \\w+){0,4}? ${PERSON}\\b`),
  /\b(real|live|actual) (human|person|agent|people)\b/,
  new RegExp(`^(a |an )?${PERSON}( please| pls| now)?$`),
  /\bescalat(e|ion)\b/,
  /\b(mensch|menschen|mitarbeiter|mitarbeiterin|echten person)\b/, // de
  /\b(humain|conseiller|conseillere|vraie personne|parler (a|avec) (un|une|quelqu))\b/, // fr
  /\b(humano|persona real|hablar con (una persona|alguien|un agente)|asesor)\b/, // es
];

export const asksForPerson = (text: string): boolean => {
  const normalized = normalizeText(text);
  return HANDOFF_PATTERNS.some((pattern) => pattern.test(normalized));
};
