import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger, REDACTED } from './logger';

function captureLogs() {
  const lines: Record<string, unknown>[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      for (const line of String(chunk).split('\n').filter(Boolean)) lines.push(JSON.parse(line));
      done();
    },
  });
  return { logger: createLogger({ level: 'info' }, stream), lines };
}

describe('createLogger', () => {
  it('redacts OpenCX API keys in fields and in free text', () => {
    const { logger, lines } = captureLogs();
    logger.warn({ apiKey: 'ocx_live_field_4f2a', opencx_api_key: 'k2', detail: 'refused key ocx_live_inline_9e1d' }, 'key ocx_test_message_7c3b refused');
    const text = JSON.stringify(lines[0]);
    for (const secret of ['ocx_live_field_4f2a', '"k2"', 'ocx_live_inline_9e1d', 'ocx_test_message_7c3b']) expect(text).not.toContain(secret);
    expect(text).toContain(REDACTED);
  });

  it('writes JSON lines with a level label and an ISO time', () => {
    const { logger, lines } = captureLogs();
    logger.info({ portalId: 123 }, 'hello');
    expect(lines[0]).toMatchObject({ level: 'info', msg: 'hello', portalId: 123 });
    expect(String(lines[0]?.time)).toMatch(/^\d{4}-\d\d-\d\dT/);
  });

  it('redacts credentials at any depth, whatever their case or style', () => {
    const { logger, lines } = captureLogs();
    logger.info(
      {
        headers: { Authorization: 'Bearer abc', cookie: 'sid=1', 'content-type': 'application/json' },
        body: { access_token: 'a', refresh_token: 'r', client_secret: 's', code: 'c', token: 't', expires_in: 1800 },
        connection: { privateAppToken: 'pat', accessToken: 'x', clientSecret: 'y', secrets: ['z'], portalId: 9 },
        tokenEncryptionKey: 'k',
        events: [{ refreshToken: 'nested' }],
      },
      'oauth exchange',
    );
    const line = lines[0]!;
    const text = JSON.stringify(line);
    for (const secret of ['Bearer abc', 'sid=1', '"a"', '"r"', '"s"', '"c"', '"t"', '"pat"', '"x"', '"y"', '"z"', '"k"', 'nested']) {
      expect(text).not.toContain(secret);
    }
    expect(line).toMatchObject({
      headers: { Authorization: REDACTED, 'content-type': 'application/json' },
      body: { code: REDACTED, expires_in: 1800 },
      connection: { portalId: 9, privateAppToken: REDACTED },
    });
  });

  it('masks bearer tokens and private app tokens inside text, and in errors and child bindings', () => {
    const { logger, lines } = captureLogs();
    const err = Object.assign(new Error('HubSpot said no'), {
      headers: { authorization: 'Bearer in-error' },
      detail: 'sent Authorization: Bearer leaky.jwt.value',
    });
    logger.child({ refreshToken: 'in-binding' }).error({ err, note: 'pat-na1-11111111-2222-3333-4444-555555555555' }, 'failed');
    const text = JSON.stringify(lines[0]);
    expect(text).not.toContain('in-error');
    expect(text).not.toContain('leaky.jwt.value');
    expect(text).not.toContain('in-binding');
    expect(text).not.toContain('11111111-2222');
    expect(text).toContain('HubSpot said no');
  });

  it('masks the tokens of sign-in links and OAuth callbacks inside text', () => {
    const { logger, lines } = captureLogs();
    logger.warn({ url: 'https://opencx.example.com/admin/sign-in?token=Secret43CharsOfBase64Url' }, 'see https://x.test/oauth/callback?code=na1-code&state=st4te');
    const text = JSON.stringify(lines[0]);
    for (const secret of ['Secret43CharsOfBase64Url', 'na1-code', 'st4te']) expect(text).not.toContain(secret);
    expect(text).toContain(`/admin/sign-in?token=${REDACTED}`);
  });

  it('redacts the bindings of children of children', () => {
    const { logger, lines } = captureLogs();
    logger.child({ requestId: 'r1' }).child({ accessToken: 'deep-binding' }).info('hi');
    expect(lines[0]).toMatchObject({ requestId: 'r1', accessToken: REDACTED });
  });

  it("keeps an error's own code when it is an error code, never an OAuth code", () => {
    const { logger, lines } = captureLogs();
    logger.error({ err: Object.assign(new Error('busy'), { code: 'SQLITE_BUSY' }) }, 'a');
    logger.error({ err: Object.assign(new Error('exchange failed'), { code: 'na1-6f1e-4d2c-9a7b' }) }, 'b');
    expect(lines[0]).toMatchObject({ err: { code: 'SQLITE_BUSY' } });
    expect(lines[1]).toMatchObject({ err: { code: REDACTED } });
  });
});
