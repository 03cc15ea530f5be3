import { describe, expect, it } from 'vitest';
import { AppError } from '../errors';
import { MAX_JSON_DEPTH, parseJsonText } from './parse-body';

const nested = (depth: number, open = '[', close = ']') => open.repeat(depth) + close.repeat(depth);
const codeOf = (text: string) => {
  try {
    parseJsonText(text);
    return null;
  } catch (err) {
    return err instanceof AppError ? err.code : 'thrown';
  }
};

describe('parseJsonText', () => {
  it.each([
    ['arrays nested to the limit', nested(MAX_JSON_DEPTH), null],
    ['objects and arrays mixed to the limit', '{"a":'.repeat(MAX_JSON_DEPTH - 1) + '[]' + '}'.repeat(MAX_JSON_DEPTH - 1), null],
    ['one level past the limit', nested(MAX_JSON_DEPTH + 1), 'invalid_json'],
    ['1,001 levels (past SQLite json_valid)', `[{"eventId":1,"x":${nested(1001)}}]`, 'invalid_json'],
    ['100,000 levels (past JSON.stringify)', nested(100_000), 'invalid_json'],
    ['brackets inside strings, which do not nest', JSON.stringify({ text: '['.repeat(500), quote: '\\"[[[' }), null],
    ['malformed JSON', '[{"a":1}', 'invalid_json'],
  ])('%s → %s', (_name, text, code) => {
    expect(codeOf(text)).toBe(code);
  });

  it('parses what it accepts exactly as JSON.parse does', () => {
    const text = JSON.stringify([{ eventId: 1, nested: { a: [1, { b: '"}]' }] } }]);
    expect(parseJsonText(text)).toEqual(JSON.parse(text));
  });
});
