import { describe, expect, it } from 'vitest';
import { AttemptTimeout, HubSpotApiError, parseRetryAfterMs, toHubSpotApiError } from './api-error';
import { backoffDelayMs, INTERACTIVE_RETRY_POLICY, shouldRetry } from './retry-policy';

const TOKEN = 'CKXsecretAccessToken0123456789';
const NOW = 1_764_000_000_000;
const ctx = { operation: 'getTicket', secrets: [TOKEN], rateLimitIntervalMs: 10_000, now: NOW };
const sdkError = (code: number, body: unknown, headers: Record<string, string> = {}) =>
  Object.assign(new Error(`HTTP-Code: ${code}\nBody: ${JSON.stringify(body)}`), { code, body, headers });

describe('toHubSpotApiError', () => {
  it.each([
    [401, 'INVALID_AUTHENTICATION', 'unauthorized'],
    [403, 'MISSING_SCOPES', 'forbidden_scope'],
    [404, 'OBJECT_NOT_FOUND', 'not_found'],
    [409, 'OBJECT_ALREADY_EXISTS', 'conflict'],
    [400, 'VALIDATION_ERROR', 'validation'],
    [422, 'VALIDATION_ERROR', 'validation'],
    [423, 'LOCKED', 'transient'],
    [500, 'INTERNAL_ERROR', 'transient'],
    [503, 'SERVICE_UNAVAILABLE', 'transient'],
    [418, 'TEAPOT', 'unexpected'],
  ] as const)('SDK ApiException %i %s → %s', (status, category, kind) => {
    const error = toHubSpotApiError(sdkError(status, { status: 'error', message: 'm', category, correlationId: 'c-1' }), ctx);
    expect(error).toBeInstanceOf(HubSpotApiError);
    expect(error).toMatchObject({ kind, status, category, correlationId: 'c-1' });
  });

  it('429 TEN_SECONDLY_ROLLING: waits one interval (from the header, else the limiter\'s)', () => {
    const body = { status: 'error', message: 'You have reached your ten_secondly_rolling limit.', errorType: 'RATE_LIMIT', policyName: 'TEN_SECONDLY_ROLLING', correlationId: 'c' };
    expect(toHubSpotApiError(sdkError(429, body, { 'X-HubSpot-RateLimit-Interval-Milliseconds': '1000' }), ctx))
      .toMatchObject({ kind: 'rate_limited', category: 'TEN_SECONDLY_ROLLING', retryAfterMs: 1_000, isTransient: true });
    expect(toHubSpotApiError(sdkError(429, body), ctx)).toMatchObject({ retryAfterMs: 10_000 });
  });

  it('429 honours Retry-After (seconds and HTTP-date) over everything else', () => {
    expect(toHubSpotApiError(sdkError(429, {}, { 'retry-after': '3' }), ctx).retryAfterMs).toBe(3_000);
    const date = new Date(NOW + 7_000).toUTCString();
    expect(toHubSpotApiError({ status: 429, headers: { 'retry-after': date }, body: '' }, ctx).retryAfterMs).toBe(7_000);
  });

  it('429 DAILY is not transient and names no retry time', () => {
    const error = toHubSpotApiError(sdkError(429, { policyName: 'DAILY', message: 'daily' }), ctx);
    expect(error).toMatchObject({ kind: 'rate_limited', category: 'DAILY', retryAfterMs: undefined, isTransient: false });
  });

  it('search 429 ("secondly limit") waits one second', () => {
    expect(toHubSpotApiError(sdkError(429, { message: 'You have reached your secondly limit.' }), ctx).retryAfterMs).toBe(1_000);
  });

  it('a raw apiRequest failure with an HTML body is classified by status alone', () => {
    const error = toHubSpotApiError({ status: 502, headers: {}, body: '<html><body>Bad gateway</body></html>' }, ctx);
    expect(error).toMatchObject({ kind: 'transient', status: 502 });
    expect(error.message).not.toContain('<html>');
  });

  it('uses the captured response status when the SDK lost it (no Content-Type on an error body)', () => {
    const lost = new Error('Cannot parse content. No Content-Type defined.');
    expect(toHubSpotApiError(lost, ctx, { status: 503, headers: {}, body: undefined })).toMatchObject({ kind: 'transient', status: 503 });
    expect(toHubSpotApiError(lost, ctx)).toMatchObject({ kind: 'unexpected', status: 0 });
  });

  it('network errors and timeouts are transient with status 0', () => {
    const refused = Object.assign(new Error('request to http://x failed, reason: connect ECONNREFUSED'), { name: 'FetchError', type: 'system', code: 'ECONNREFUSED' });
    expect(toHubSpotApiError(refused, ctx)).toMatchObject({ kind: 'transient', status: 0 });
    expect(toHubSpotApiError(refused, ctx).message).not.toContain('http://x');
    expect(toHubSpotApiError(new AttemptTimeout('t'), ctx)).toMatchObject({ kind: 'transient', status: 0 });
  });

  it('never lets the token, a bearer header or a private app token into the message', () => {
    const echo = `token ${TOKEN} invalid; Authorization: Bearer abc.def; key pat-na1-0a1b2c3d-aaaa-bbbb-cccc-0123456789ab`;
    const error = toHubSpotApiError(sdkError(401, { message: echo, category: 'INVALID_AUTHENTICATION' }), ctx);
    expect(error.message).not.toContain(TOKEN);
    expect(error.message).not.toContain('abc.def');
    expect(error.message).not.toContain('pat-na1-0a1b');
    expect(JSON.stringify(error)).not.toContain(TOKEN);
  });

  it('passes a HubSpotApiError through unchanged', () => {
    const original = new HubSpotApiError({ kind: 'validation', status: 0, message: 'x' });
    expect(toHubSpotApiError(original, ctx)).toBe(original);
  });

  it.each([
    ['5', 5_000],
    [' 0 ', 0],
    ['soon', undefined],
    [undefined, undefined],
  ])('parseRetryAfterMs(%s) = %s', (value, expected) => {
    expect(parseRetryAfterMs(value, NOW)).toBe(expected);
  });
});

describe('retry policy', () => {
  const err = (init: ConstructorParameters<typeof HubSpotApiError>[0]) => new HubSpotApiError(init);
  const transient = err({ kind: 'transient', status: 503, message: 'x' });
  const base = { policy: INTERACTIVE_RETRY_POLICY, attempt: 1, neverSent: false };

  it.each([
    ['idempotent 5xx', { error: transient, idempotent: true }, true],
    ['non-idempotent 5xx (could duplicate)', { error: transient, idempotent: false }, false],
    ['non-idempotent, never sent', { error: transient, idempotent: false, neverSent: true }, true],
    ['429 on a create (refused before processing)', { error: err({ kind: 'rate_limited', status: 429, retryAfterMs: 1_000, message: 'x' }), idempotent: false }, true],
    ['429 asking for longer than the wait budget', { error: err({ kind: 'rate_limited', status: 429, retryAfterMs: 60_000, message: 'x' }), idempotent: true }, false],
    ['429 DAILY', { error: err({ kind: 'rate_limited', status: 429, category: 'DAILY', message: 'x' }), idempotent: true }, false],
    ['404', { error: err({ kind: 'not_found', status: 404, message: 'x' }), idempotent: true }, false],
    ['401', { error: err({ kind: 'unauthorized', status: 401, message: 'x' }), idempotent: true }, false],
    ['last attempt', { error: transient, idempotent: true, attempt: 3 }, false],
  ] as const)('%s → %s', (_name, input, expected) => {
    expect(shouldRetry({ ...base, ...input })).toBe(expected);
  });

  it('backs off exponentially with bounded jitter', () => {
    const p = INTERACTIVE_RETRY_POLICY;
    expect([1, 2, 3, 10].map((a) => backoffDelayMs(a, p, () => 0))).toEqual([125, 250, 500, 2_000]);
    expect([1, 2, 3, 10].map((a) => backoffDelayMs(a, p, () => 1))).toEqual([250, 500, 1_000, 4_000]);
  });
});
