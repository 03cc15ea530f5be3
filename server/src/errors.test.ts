import { HTTPException } from 'hono/http-exception';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { AppError, ERROR_STATUS, toErrorResponse, type ErrorCode } from './errors';
import { parseJsonBody } from './http/parse-body';

describe('toErrorResponse', () => {
  it.each(Object.entries(ERROR_STATUS) as [ErrorCode, number][])('maps AppError %s to %i', (code, status) => {
    expect(toErrorResponse(new AppError(code, `about ${code}`))).toEqual({
      status,
      body: { error: { code, message: `about ${code}` } },
    });
  });

  it('maps a zod error to validation_failed naming the field path', () => {
    const schema = z.object({ ticket: z.object({ id: z.string() }), reason: z.string().max(3) });
    const result = schema.safeParse({ ticket: { id: 42 }, reason: 'too long' });
    const { status, body } = toErrorResponse(result.error);
    expect(status).toBe(400);
    expect(body.error.code).toBe('validation_failed');
    expect(body.error.message).toMatch(/^ticket\.id: .+; reason: .+$/);
  });

  it('maps malformed JSON to invalid_json and a schema mismatch to validation_failed', () => {
    const schema = z.object({ action: z.enum(['pause', 'resume']) });
    const parse = (raw: string) => {
      try {
        parseJsonBody(raw, schema);
      } catch (err) {
        return toErrorResponse(err);
      }
      return null;
    };
    expect(parse('{"action": ')).toEqual({
      status: 400,
      body: { error: { code: 'invalid_json', message: 'The request body is not valid JSON' } },
    });
    expect(parse('{"action": "stop"}')?.body.error).toMatchObject({ code: 'validation_failed', message: /^action: / });
    expect(parse('{"action": "pause"}')).toBeNull();
  });

  it("maps Hono's own HTTP exceptions it can name", () => {
    expect(toErrorResponse(new HTTPException(413)).body.error.code).toBe('payload_too_large');
    expect(toErrorResponse(new HTTPException(401, { message: 'no' })).body.error).toEqual({
      code: 'unauthenticated',
      message: 'no',
    });
  });

  it('hides everything about an unknown error behind a bare 500', () => {
    const secretish = new Error('SQLITE_CORRUPT at /var/lib/opencx/db.sqlite; token pat-na1-123');
    for (const err of [secretish, new HTTPException(502, { message: 'upstream said x' }), 'a string', null]) {
      const { status, body } = toErrorResponse(err);
      expect(status).toBe(500);
      expect(body).toEqual({ error: { code: 'internal', message: 'Internal server error' } });
    }
  });
});
