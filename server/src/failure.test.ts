import { describe, expect, it } from 'vitest';
import { AiServiceError } from './ai';
import { AppError } from './errors';
import { classifyFailure, PermanentFailure, retryLaterError } from './failure';
import { HubSpotApiError, LOCAL_RATE_LIMIT } from './hubspot';

const hubspot = (kind: ConstructorParameters<typeof HubSpotApiError>[0]['kind'], extra: { category?: string; retryAfterMs?: number } = {}) =>
  new HubSpotApiError({ kind, status: 0, message: 'HubSpot test failed', ...extra });
const busy = Object.assign(new Error('database is locked'), { code: 'SQLITE_BUSY' });

describe('classifyFailure', () => {
  it.each([
    ['a PermanentFailure', new PermanentFailure('no'), 'permanent', false],
    ['a busy database', busy, 'busy', true],
    ['a lost write race', new AppError('version_conflict', 'x'), 'version_conflict', true],
    ['HubSpot rate-limiting', hubspot('rate_limited'), 'hubspot_rate_limited', true],
    ['HubSpot down', hubspot('transient'), 'hubspot_unavailable', true],
    ['an expired token mid-flight', hubspot('unauthorized'), 'connection_lost', true],
    ['a missing scope', hubspot('forbidden_scope'), 'connection_lost', false],
    ['a lost grant', new AppError('reconnect_required', 'x'), 'connection_lost', true],
    ['an unknown portal', new AppError('unknown_portal', 'x'), 'connection_lost', false],
    ['a HubSpot 404', hubspot('not_found'), 'hubspot_not_found', false],
    ['a HubSpot validation error', hubspot('validation'), 'hubspot_rejected', false],
    ['a transient AI failure', new AiServiceError('server_error', 'x', 503, 1), 'ai', true],
    ['an AI that refused', new AiServiceError('rejected', 'x', 400, 1), 'ai', false],
    ['anything else', new Error('bug'), 'unknown', true],
  ] as const)('%s: %s, transient in the background: %s', (_, err, kind, transient) => {
    expect(classifyFailure(err)).toMatchObject({ kind, transient });
  });

  it('says when the call was never sent (deferred) and carries the wait asked for', () => {
    expect(classifyFailure(hubspot('rate_limited', { category: LOCAL_RATE_LIMIT, retryAfterMs: 1_500 }))).toMatchObject({ deferred: true, retryAfterMs: 1_500 });
  });
});

describe('retryLaterError (what a request answers)', () => {
  it.each([
    [busy, 'unavailable'],
    [new AppError('version_conflict', 'x'), 'unavailable'],
    [hubspot('transient'), 'unavailable'],
    [hubspot('rate_limited'), 'rate_limited'],
  ] as const)('%s → %s', (err, code) => {
    expect(retryLaterError(err)?.error.code).toBe(code);
  });

  it('asks HubSpot to wait what it asked us to, 10 s when it did not say', () => {
    expect(retryLaterError(hubspot('rate_limited', { retryAfterMs: 3_000 }))?.retryAfterMs).toBe(3_000);
    expect(retryLaterError(hubspot('rate_limited'))?.retryAfterMs).toBe(10_000);
  });

  it('leaves permanent failures, lost connections and unknown errors to the caller', () => {
    for (const err of [hubspot('not_found'), hubspot('unauthorized'), new AppError('reconnect_required', 'x'), new Error('bug')]) expect(retryLaterError(err)).toBeNull();
  });
});
