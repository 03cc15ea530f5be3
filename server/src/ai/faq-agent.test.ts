import { describe, expect, it } from 'vitest';
import type { AiHistoryEntry, AiReplyInput } from './agent';
import { ASKED_FOR_PERSON_REASON, createFaqAgent, DEFAULT_FAQ, NO_ANSWER_REASON } from './faq-agent';
import { faqSchema } from './faq-match';

const agent = createFaqAgent();
const answerOf = (id: string) => DEFAULT_FAQ.find((e) => e.id === id)!.answer;
const customer = (text: string, at = 1): AiHistoryEntry => ({ role: 'customer', text, at });
const input = (history: AiHistoryEntry[], instruction?: string | null): AiReplyInput => ({
  organizationId: 'org-1', sessionId: 'ses-1', channel: 'chat', history, instruction,
});
const ask = (text: string, instruction?: string | null) => agent.reply(input([customer(text)], instruction));

describe('FAQ agent: answers', () => {
  it.each([
    ['Where is my order?', 'order-status'],
    ['Hi, can you tell me where is my package? It has not arrived yet', 'order-status'],
    ['Can I get a refund?', 'refunds'],
    ['where is my refund', 'refunds'],
    ['How do I return an item that does not fit?', 'returns'],
    ['How long does delivery take?', 'shipping-times'],
    ['Do you ship to Canada? What about customs?', 'international'],
    ['I want to change my shipping address', 'cancel-order'],
    ['My package arrived damaged', 'damaged'],
    ['Can I pay with PayPal?', 'payment'],
    ['I forgot my password and can\'t log in', 'account'],
    ['Where do I enter my promo code?', 'discount'],
    ['Hello!', 'greeting'],
  ])('%s → %s', async (text, id) => {
    expect(await ask(text)).toEqual({ kind: 'answer', text: answerOf(id) });
  });
});

describe('FAQ agent: handoffs', () => {
  it.each([
    'Can I talk to a human?',
    'I want to speak with a real person please',
    'This is useless, let me talk to your manager',
    'AGENT',
    'human please',
    'Connect me with someone from support',
    'Kann ich bitte mit einem Menschen sprechen?',
    'Je voudrais parler à un conseiller',
    'Quiero hablar con una persona',
    'I want a refund, get me a supervisor',
  ])('asks for a person: %s', async (text) => {
    expect(await ask(text)).toEqual({ kind: 'handoff', reason: ASKED_FOR_PERSON_REASON });
  });

  it.each([
    'Do you sell blue umbrellas?',
    'What is the meaning of life?',
    'asdfgh',
    'Is this his or hers?', // "hi" must not match inside "his"
  ])('hands off when nothing matches: %s', async (text) => {
    expect(await ask(text)).toEqual({ kind: 'handoff', reason: NO_ANSWER_REASON });
  });

  it('does not mistake a mention of a person for a request', async () => {
    expect(await ask('The delivery person left my parcel at the door, can I track it?')).toMatchObject({ kind: 'answer' });
  });
});

describe('FAQ agent: conversation state', () => {
  it('answers the latest customer message, skipping system lines', async () => {
    const history: AiHistoryEntry[] = [
      customer('Where is my order?', 1),
      { role: 'ai', text: answerOf('order-status'), at: 2 },
      customer('And can I pay with Klarna?', 3),
      { role: 'system', text: 'Thread assigned', at: 4 },
    ];
    expect(await agent.reply(input(history))).toEqual({ kind: 'answer', text: answerOf('payment') });
  });

  it.each<[string, AiHistoryEntry[]]>([
    ['an agent answered last', [customer('Where is my order?'), { role: 'agent', text: 'On its way!', at: 2 }]],
    ['the AI answered last', [customer('Where is my order?'), { role: 'ai', text: '…', at: 2 }]],
    ['there is no customer message', [{ role: 'agent', text: 'Hello', at: 1 }]],
    ['the history is empty', []],
  ])('does not reply when %s', async (_name, history) => {
    expect(await agent.reply(input(history))).toMatchObject({ kind: 'no_reply' });
  });

  it('rejects with the reason when the signal is already aborted', async () => {
    const signal = AbortSignal.abort(new Error('shutting down'));
    await expect(agent.reply({ ...input([customer('Where is my order?')]), signal })).rejects.toThrow('shutting down');
  });
});

describe('FAQ agent: instruction', () => {
  it('say: replies with exactly the scripted text', async () => {
    expect(await ask('Can I talk to a human?', 'Say: An agent will join in 5 minutes.')).toEqual({
      kind: 'answer', text: 'An agent will join in 5 minutes.',
    });
  });

  it('prefix: puts the text before the FAQ answer', async () => {
    expect(await ask('Where is my order?', 'prefix: Thanks for waiting!')).toEqual({
      kind: 'answer', text: `Thanks for waiting!\n\n${answerOf('order-status')}`,
    });
  });

  it('a topic steers the answer, even when the customer asked something else or the AI spoke last', async () => {
    const history: AiHistoryEntry[] = [customer('This is taking forever'), { role: 'ai', text: '…', at: 2 }];
    expect(await agent.reply(input(history, 'Explain the refund policy'))).toEqual({ kind: 'answer', text: answerOf('refunds') });
  });

  it('an instruction with no FAQ topic falls back to the customer message', async () => {
    expect(await ask('Can I pay with PayPal?', 'Be extra friendly')).toEqual({ kind: 'answer', text: answerOf('payment') });
  });

  it('is deterministic', async () => {
    const runs = await Promise.all(Array.from({ length: 3 }, () => ask('Where is my order?', 'prefix: Hi')));
    expect(new Set(runs.map((r) => JSON.stringify(r))).size).toBe(1);
  });
});

describe('faq.json', () => {
  it('is valid, has ~10 entries with unique ids', () => {
    expect(DEFAULT_FAQ.length).toBeGreaterThanOrEqual(10);
    expect(new Set(DEFAULT_FAQ.map((e) => e.id)).size).toBe(DEFAULT_FAQ.length);
  });

  it('every entry answers its own sample question', async () => {
    for (const entry of DEFAULT_FAQ) expect(await ask(entry.question), entry.id).toEqual({ kind: 'answer', text: entry.answer });
  });

  it('rejects a broken file', () => {
    expect(faqSchema.safeParse({ entries: [{ id: 'x', question: 'q', keywords: [], answer: 'a' }] }).success).toBe(false);
  });
});
