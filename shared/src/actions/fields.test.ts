import { describe, expect, it } from 'vitest';
import { pauseAiInputSchema } from './pause-ai';
import { requestHandoffInputSchema } from './request-handoff';
import { resumeAiInputSchema } from './resume-ai';
import { sendToAiInputSchema } from './send-to-ai';

// HubSpot sends inputs as strings (or numbers), and an empty field as "" or not at all.
describe('pause-ai inputs', () => {
  it.each([
    { given: {}, then: {} },
    { given: { durationMinutes: '' }, then: {} },
    { given: { durationMinutes: '   ', reason: '' }, then: {} },
    { given: { durationMinutes: null }, then: {} },
    { given: { durationMinutes: '30' }, then: { durationMinutes: 30 } },
    { given: { durationMinutes: ' 45 ' }, then: { durationMinutes: 45 } },
    { given: { durationMinutes: '30.0' }, then: { durationMinutes: 30 } },
    { given: { durationMinutes: 90 }, then: { durationMinutes: 90 } },
    { given: { durationMinutes: '525600' }, then: { durationMinutes: 525600 } },
    { given: { reason: '  VIP customer  ' }, then: { reason: 'VIP customer' } },
  ])('accepts $given', ({ given, then }) => {
    const parsed = pauseAiInputSchema.parse(given);
    expect(Object.fromEntries(Object.entries(parsed).filter(([, v]) => v !== undefined))).toEqual(then);
  });

  it.each([
    { durationMinutes: '0' },
    { durationMinutes: '-5' },
    { durationMinutes: '1.5' },
    { durationMinutes: '1e3' },
    { durationMinutes: 'soon' },
    { durationMinutes: true },
    { durationMinutes: '525601' },
    { durationMinutes: Number.NaN },
    { reason: 'x'.repeat(501) },
  ])('rejects %o', (given) => {
    expect(pauseAiInputSchema.safeParse(given).success).toBe(false);
  });
});

describe('request-handoff inputs', () => {
  it.each([
    { given: { reason: 'Refund over limit' }, then: { reason: 'Refund over limit' } },
    { given: { reason: 'x', ownerId: '52550153' }, then: { reason: 'x', ownerId: '52550153' } },
    { given: { reason: 'x', ownerId: 52550153 }, then: { reason: 'x', ownerId: '52550153' } },
    { given: { reason: 'x', ownerId: '', pipelineStage: '' }, then: { reason: 'x' } },
    { given: { reason: 'x', pipelineStage: ' 4 ' }, then: { reason: 'x', pipelineStage: '4' } },
  ])('accepts $given', ({ given, then }) => {
    const parsed = requestHandoffInputSchema.parse(given);
    expect(Object.fromEntries(Object.entries(parsed).filter(([, v]) => v !== undefined))).toEqual(then);
  });

  it.each([
    {},
    { reason: '' },
    { reason: '   ' },
    { reason: 'x', ownerId: 'jane@example.com' },
    { reason: 'x', ownerId: -1 },
    { reason: 'x', pipelineStage: 'x'.repeat(101) },
  ])('rejects %o', (given) => {
    expect(requestHandoffInputSchema.safeParse(given).success).toBe(false);
  });
});

describe('resume-ai and send-to-ai inputs', () => {
  it.each([
    { schema: resumeAiInputSchema, given: { note: '' }, ok: true },
    { schema: resumeAiInputSchema, given: { note: 'x'.repeat(501) }, ok: false },
    { schema: sendToAiInputSchema, given: { instruction: 'Offer a refund' }, ok: true },
    { schema: sendToAiInputSchema, given: { instruction: 'x'.repeat(2001) }, ok: false },
  ])('$given → ok=$ok', ({ schema, given, ok }) => {
    expect(schema.safeParse(given).success).toBe(ok);
  });
});
