import { describe, expect, it, vi } from 'vitest';
import { CardApiError, cardStatusUrl, createCardApi, resolveBackendOrigin, toRequestError, type CardFetch } from './card-api';
import { ACTIVE, resultOf, statusOf } from './testing/card-fixtures';

const identity = { ticketId: 1145814089, portalId: 62515, userId: 9586504, userEmail: 'ana+support@example.com' };
const ORIGIN = 'https://opencx.example.com';

const respond = (status: number, body: unknown): CardFetch =>
  vi.fn<CardFetch>(async () => ({ ok: status >= 200 && status < 300, status, json: async () => body }));

const failureOf = async (promise: Promise<unknown>) => toRequestError(await promise.then(() => null, (e: unknown) => e));

describe('cardStatusUrl', () => {
  it('puts the ticket and the signed-in user in the query, encoded', () => {
    expect(cardStatusUrl(ORIGIN, identity)).toBe(
      'https://opencx.example.com/hubspot/card/ai-status?ticketId=1145814089&portalId=62515&userId=9586504&userEmail=ana%2Bsupport%40example.com',
    );
  });
});

describe('resolveBackendOrigin', () => {
  it.each([
    { variables: undefined, then: ORIGIN },
    { variables: { fake_variable: 'x' }, then: ORIGIN },
    { variables: { BACKEND_URL: 'https://api.opencx.test' }, then: 'https://api.opencx.test' },
    { variables: { BACKEND_URL: 'https://api.opencx.test/' }, then: 'https://api.opencx.test' },
    { variables: { BACKEND_URL: 'not a url' }, then: ORIGIN },
    { variables: { BACKEND_URL: 'javascript:alert(1)' }, then: ORIGIN },
    { variables: { BACKEND_URL: 42 }, then: ORIGIN },
  ])('$variables → $then', ({ variables, then }) => {
    expect(resolveBackendOrigin(variables, ORIGIN)).toBe(then);
  });
});

describe('createCardApi', () => {
  it('GETs the status and checks it against the contract', async () => {
    const fetch = respond(200, statusOf(ACTIVE));
    await expect(createCardApi(fetch, ORIGIN, identity).loadStatus()).resolves.toEqual(statusOf(ACTIVE));
    expect(fetch).toHaveBeenCalledWith(cardStatusUrl(ORIGIN, identity), { method: 'GET' });
  });

  it('POSTs a command to the same signed URL', async () => {
    const fetch = respond(200, resultOf('paused', ACTIVE));
    await createCardApi(fetch, ORIGIN, identity).sendCommand({ action: 'pause' });
    expect(fetch).toHaveBeenCalledWith(cardStatusUrl(ORIGIN, identity), { method: 'POST', body: { action: 'pause' } });
  });

  it.each([
    { name: 'a body outside the contract', fetch: respond(200, { view: 'mystery' }), code: 'invalid_response' },
    { name: 'a non-JSON body', fetch: respond(200, undefined), code: 'invalid_response' },
    {
      name: 'the server error shape',
      fetch: respond(403, { error: { code: 'not_oauth', message: 'Private App' } }),
      code: 'not_oauth',
    },
    { name: 'a bare 404', fetch: respond(404, 'Not Found'), code: 'http_404' },
    { name: 'a bare 502', fetch: respond(502, null), code: 'network_error' },
    {
      name: 'a rejected fetch',
      fetch: vi.fn<CardFetch>(async () => Promise.reject(new Error('timeout'))),
      code: 'network_error',
    },
  ])('turns $name into the code $code', async ({ fetch, code }) => {
    const error = await failureOf(createCardApi(fetch, ORIGIN, identity).loadStatus());
    expect(error.code).toBe(code);
  });

  it('keeps unexpected errors readable', () => {
    expect(toRequestError(new CardApiError('x', 'y'))).toEqual({ code: 'x', message: 'y' });
    expect(toRequestError('boom')).toEqual({ code: 'network_error', message: 'boom' });
  });
});
