import { createHash, createHmac } from 'node:crypto';
import { Signature } from '@hubspot/api-client';
import { describe, expect, it } from 'vitest';
import {
  buildPublicUrl,
  decodeUrlForSignatureV3,
  verifyHubSpotSignatureV1,
  verifyHubSpotSignatureV2,
  verifyHubSpotSignatureV3,
} from './signature';

// HubSpot's published test vectors (validating-requests page, v2 FAQ; docs/hubspot-contract.md §2.2, §2.3).
const DOC_SECRET = 'yyyyyyyy-yyyy-yyyy-yyyy-yyyyyyyyyyyy';
const DOC_V1_BODY =
  '[{"eventId":1,"subscriptionId":12345,"portalId":62515,"occurredAt":1564113600000,"subscriptionType":"contact.creation","attemptNumber":0,"objectId":123,"changeSource":"CRM","changeFlag":"NEW","appId":54321}]';
const DOC_V1_SIGNATURE = '232db2615f3d666fe21a8ec971ac7b5402d33b9a925784df3ca654d05f4817de';
const DOC_V2_SIGNATURE = 'eee2dddcc73c94d699f5e395f4b9d454a069a6855fbfa152e91e88823087200e';

// v3 computed here, independently of the verifier, straight from the doc's steps (docs/hubspot-contract.md §2.4): the URL HubSpot signs
// is already decoded, so tests pass the decoded form here and the encoded form to the verifier where relevant.
const signV3 = (secret: string, method: string, decodedUrl: string, body: string, ts: string) =>
  createHmac('sha256', secret).update(method + decodedUrl + body + ts, 'utf8').digest('base64');

const SECRET = 'd6f1c0b8-2f44-4c59-9a8e-0d1c2b3a4f5e';
const NOW = 1_764_000_000_000;
const BODY = '{"callbackId":"ap-62515-1-2-0","inputFields":{"note":"Grüße"}}';
const URL_ = 'https://app.example.com/hubspot/actions/pause-ai';

const GOOD_TS = String(NOW - 1000);
const GOOD_SIG = signV3(SECRET, 'POST', URL_, BODY, GOOD_TS);

function v3Input(overrides: Partial<Parameters<typeof verifyHubSpotSignatureV3>[0]> = {}) {
  return {
    method: 'POST',
    url: URL_,
    rawBody: BODY,
    timestamp: GOOD_TS,
    signature: GOOD_SIG,
    secret: SECRET,
    now: NOW,
    ...overrides,
  };
}

const flipFirstChar = (s: string) => (s[0] === 'A' ? 'B' : 'A') + s.slice(1);

describe('verifyHubSpotSignatureV1', () => {
  it('accepts HubSpot\'s published v1 vector', () => {
    expect(verifyHubSpotSignatureV1({ rawBody: DOC_V1_BODY, signature: DOC_V1_SIGNATURE, secret: DOC_SECRET })).toEqual({ ok: true });
  });

  it('accepts the vector given as bytes and as uppercase hex', () => {
    const bytes = new TextEncoder().encode(DOC_V1_BODY);
    expect(verifyHubSpotSignatureV1({ rawBody: bytes, signature: DOC_V1_SIGNATURE, secret: DOC_SECRET }).ok).toBe(true);
    expect(verifyHubSpotSignatureV1({ rawBody: DOC_V1_BODY, signature: DOC_V1_SIGNATURE.toUpperCase(), secret: DOC_SECRET }).ok).toBe(true);
  });

  it.each([
    ['wrong secret', { secret: SECRET }],
    ['one byte of the body changed', { rawBody: DOC_V1_BODY.replace('"objectId":123', '"objectId":124') }],
    ['one hex digit flipped', { signature: DOC_V1_SIGNATURE.slice(0, -1) + 'f' }],
    ['shorter signature', { signature: DOC_V1_SIGNATURE.slice(0, 63) }],
    ['longer signature', { signature: DOC_V1_SIGNATURE + '0' }],
  ])('rejects %s', (_name, overrides) => {
    const input = { rawBody: DOC_V1_BODY, signature: DOC_V1_SIGNATURE, secret: DOC_SECRET, ...overrides };
    expect(verifyHubSpotSignatureV1(input)).toEqual({ ok: false, reason: 'signature_mismatch' });
  });

  it.each([undefined, null, ''])('reports a missing signature (%s)', (signature) => {
    expect(verifyHubSpotSignatureV1({ rawBody: DOC_V1_BODY, signature, secret: DOC_SECRET })).toEqual({ ok: false, reason: 'missing_signature' });
  });
});

describe('verifyHubSpotSignatureV2', () => {
  const docInput = { method: 'GET', url: 'https://www.example.com/webhook_uri', rawBody: '', signature: DOC_V2_SIGNATURE, secret: DOC_SECRET };

  it('accepts HubSpot\'s published v2 vector (GET, no body)', () => {
    expect(verifyHubSpotSignatureV2(docInput)).toEqual({ ok: true });
  });

  it('signs method, URL and body, with no URL decoding', () => {
    const url = 'https://app.example.com/hubspot/actions?portal=1&x=a%3Ab';
    const signature = createHash('sha256').update(SECRET + 'POST' + url + BODY, 'utf8').digest('hex');
    const input = { method: 'POST', url, rawBody: BODY, signature, secret: SECRET };
    expect(verifyHubSpotSignatureV2(input).ok).toBe(true);
    expect(verifyHubSpotSignatureV2({ ...input, url: 'https://app.example.com/hubspot/actions?portal=1&x=a:b' }).ok).toBe(false);
    expect(verifyHubSpotSignatureV2({ ...input, url: 'https://app.example.com/hubspot/actions?x=a%3Ab&portal=1' }).ok).toBe(false);
    expect(verifyHubSpotSignatureV2({ ...input, method: 'PUT' }).ok).toBe(false);
  });

  it.each([
    ['wrong secret', { secret: SECRET }],
    ['other URL', { url: 'https://www.example.com/webhook_uri2' }],
    ['one hex digit flipped', { signature: 'f' + DOC_V2_SIGNATURE.slice(1) }],
    ['different length', { signature: DOC_V2_SIGNATURE.slice(2) }],
  ])('rejects %s', (_name, overrides) => {
    expect(verifyHubSpotSignatureV2({ ...docInput, ...overrides })).toEqual({ ok: false, reason: 'signature_mismatch' });
  });

  it('reports a missing signature', () => {
    expect(verifyHubSpotSignatureV2({ ...docInput, signature: undefined })).toEqual({ ok: false, reason: 'missing_signature' });
  });
});

describe('verifyHubSpotSignatureV3', () => {
  it('accepts an independently computed signature (string and byte bodies)', () => {
    expect(verifyHubSpotSignatureV3(v3Input())).toEqual({ ok: true });
    expect(verifyHubSpotSignatureV3(v3Input({ rawBody: Buffer.from(BODY, 'utf8') }))).toEqual({ ok: true });
  });

  it('accepts a GET without body (hubspot.fetch style query params)', () => {
    const url = 'https://app.example.com/hubspot/card/ai-status?userId=1&portalId=62515&userEmail=a%40b.com&appId=9';
    const ts = String(NOW);
    const signature = signV3(SECRET, 'GET', decodeUrlForSignatureV3(url), '', ts);
    expect(verifyHubSpotSignatureV3(v3Input({ method: 'GET', url, rawBody: '', timestamp: ts, signature }))).toEqual({ ok: true });
  });

  it.each([
    ['%3A uppercase', 'https://h.example.com/a%3Ab', 'https://h.example.com/a:b'],
    ['%2f lowercase', 'https://h.example.com/a%2fb', 'https://h.example.com/a/b'],
    ['all listed escapes', 'https://h.example.com/x?v=%3A%2F%3F%40%21%24%27%28%29%2A%2C%3B', "https://h.example.com/x?v=:/?@!$'()*,;"],
    ['unlisted escapes stay encoded', 'https://h.example.com/x?q=a%20b%2Bc%26d%3Dv%2Cw', 'https://h.example.com/x?q=a%20b%2Bc%26d%3Dv,w'],
    ['an encoded percent is not decoded twice', 'https://h.example.com/x?q=%253A', 'https://h.example.com/x?q=%253A'],
  ])('decodes exactly HubSpot\'s list: %s', (_name, encoded, decoded) => {
    expect(decodeUrlForSignatureV3(encoded)).toBe(decoded);
    const ts = String(NOW);
    const signature = signV3(SECRET, 'POST', decoded, BODY, ts);
    expect(verifyHubSpotSignatureV3(v3Input({ url: encoded, timestamp: ts, signature }))).toEqual({ ok: true });
  });

  it('rejects when the URL differs after decoding', () => {
    const ts = String(NOW);
    const signature = signV3(SECRET, 'POST', 'https://h.example.com/x?q=a%20b', BODY, ts);
    expect(verifyHubSpotSignatureV3(v3Input({ url: 'https://h.example.com/x?q=a+b', timestamp: ts, signature })).ok).toBe(false);
  });

  it.each([
    ['missing signature', { signature: undefined }, 'missing_signature'],
    ['empty signature', { signature: '' }, 'missing_signature'],
    ['missing timestamp', { timestamp: undefined }, 'missing_timestamp'],
    ['empty timestamp', { timestamp: '' }, 'missing_timestamp'],
    ['non-numeric timestamp', { timestamp: 'yesterday' }, 'invalid_timestamp'],
    ['exponent timestamp', { timestamp: '1.764e12' }, 'invalid_timestamp'],
    ['negative timestamp', { timestamp: '-1' }, 'invalid_timestamp'],
    ['timestamp in seconds (ancient as ms)', { timestamp: String(NOW / 1000) }, 'stale_timestamp'],
    ['5 min + 1 ms old', { timestamp: String(NOW - 300_001) }, 'stale_timestamp'],
    ['5 min + 1 ms in the future', { timestamp: String(NOW + 300_001) }, 'future_timestamp'],
  ] as const)('rejects: %s', (_name, overrides, reason) => {
    expect(verifyHubSpotSignatureV3(v3Input(overrides))).toEqual({ ok: false, reason });
  });

  it('accepts timestamps exactly at the 5-minute edges, both ways', () => {
    for (const ts of [String(NOW - 300_000), String(NOW + 300_000)]) {
      const signature = signV3(SECRET, 'POST', URL_, BODY, ts);
      expect(verifyHubSpotSignatureV3(v3Input({ timestamp: ts, signature }))).toEqual({ ok: true });
    }
  });

  it('honours a custom maxAgeMs', () => {
    expect(verifyHubSpotSignatureV3(v3Input({ maxAgeMs: 500 }))).toEqual({ ok: false, reason: 'stale_timestamp' });
  });

  it.each([
    ['wrong secret', { secret: 'another-secret' }],
    ['one flipped byte of the signature', { signature: flipFirstChar(GOOD_SIG) }],
    ['signature of a different length', { signature: GOOD_SIG.slice(0, -2) }],
    ['signature with extra bytes', { signature: GOOD_SIG + 'AA==' }],
    ['hex instead of base64', { signature: createHmac('sha256', SECRET).update('x').digest('hex') }],
    ['body tampered', { rawBody: BODY.replace('Grüße', 'Grüsse') }],
    ['method changed', { method: 'PUT' }],
    ['timestamp changed within the window', { timestamp: String(NOW - 2000) }],
    ['URL host changed', { url: 'https://evil.example.com/hubspot/actions/pause-ai' }],
  ])('rejects: %s', (_name, overrides) => {
    expect(verifyHubSpotSignatureV3(v3Input(overrides))).toEqual({ ok: false, reason: 'signature_mismatch' });
  });
});

// The SDK's Signature.isValid (lib/src/utils/signature.js) is a second, independent implementation. Known and
// deliberate differences: it compares with === (not constant-time), it does not URL-decode (callers must pass
// the decoded URI), it reads Date.now() itself and it does not reject future timestamps.
describe('agreement with @hubspot/api-client Signature.isValid', () => {
  const now = Date.now();
  const ts = String(now - 10_000);
  const good = signV3(SECRET, 'POST', URL_, BODY, ts);
  const cases: [string, { signature: string; body: string; url: string; method: string }][] = [
    ['valid', { signature: good, body: BODY, url: URL_, method: 'POST' }],
    ['flipped byte', { signature: flipFirstChar(good), body: BODY, url: URL_, method: 'POST' }],
    ['tampered body', { signature: good, body: BODY + ' ', url: URL_, method: 'POST' }],
    ['other URL', { signature: good, body: BODY, url: URL_ + '/x', method: 'POST' }],
    ['other method', { signature: good, body: BODY, url: URL_, method: 'PATCH' }],
    ['truncated', { signature: good.slice(1), body: BODY, url: URL_, method: 'POST' }],
  ];

  it.each(cases)('v3 %s', (_name, c) => {
    const sdk = Signature.isValid({
      signatureVersion: 'v3', signature: c.signature, clientSecret: SECRET, requestBody: c.body, url: c.url, method: c.method, timestamp: Number(ts),
    });
    const ours = verifyHubSpotSignatureV3({ method: c.method, url: c.url, rawBody: c.body, timestamp: ts, signature: c.signature, secret: SECRET, now }).ok;
    expect(ours).toBe(sdk);
  });

  it.each(cases)('v2 %s', (_name, c) => {
    const signature = c.signature === good
      ? createHash('sha256').update(SECRET + 'POST' + URL_ + BODY, 'utf8').digest('hex')
      : createHash('sha256').update('x').digest('hex');
    const sdk = Signature.isValid({ signatureVersion: 'v2', signature, clientSecret: SECRET, requestBody: c.body, url: c.url, method: c.method });
    const ours = verifyHubSpotSignatureV2({ method: c.method, url: c.url, rawBody: c.body, signature, secret: SECRET }).ok;
    expect(ours).toBe(sdk);
  });

  it('v1 published vector and a tampered body', () => {
    for (const body of [DOC_V1_BODY, DOC_V1_BODY + ' ']) {
      const sdk = Signature.isValid({ signatureVersion: 'v1', signature: DOC_V1_SIGNATURE, clientSecret: DOC_SECRET, requestBody: body });
      expect(verifyHubSpotSignatureV1({ rawBody: body, signature: DOC_V1_SIGNATURE, secret: DOC_SECRET }).ok).toBe(sdk);
    }
  });

  it('difference: the SDK does not decode the URL; ours does', () => {
    const encoded = 'https://h.example.com/x?v=a%3Ab';
    const signature = signV3(SECRET, 'POST', 'https://h.example.com/x?v=a:b', BODY, ts);
    const args = { signatureVersion: 'v3', signature, clientSecret: SECRET, requestBody: BODY, method: 'POST', timestamp: Number(ts) };
    expect(Signature.isValid({ ...args, url: encoded })).toBe(false);
    expect(Signature.isValid({ ...args, url: decodeUrlForSignatureV3(encoded) })).toBe(true);
    expect(verifyHubSpotSignatureV3({ method: 'POST', url: encoded, rawBody: BODY, timestamp: ts, signature, secret: SECRET, now }).ok).toBe(true);
  });

  it('difference: the SDK accepts a far-future timestamp; ours rejects it', () => {
    const future = String(now + 3_600_000);
    const signature = signV3(SECRET, 'POST', URL_, BODY, future);
    expect(Signature.isValid({ signatureVersion: 'v3', signature, clientSecret: SECRET, requestBody: BODY, url: URL_, method: 'POST', timestamp: Number(future) })).toBe(true);
    expect(verifyHubSpotSignatureV3({ method: 'POST', url: URL_, rawBody: BODY, timestamp: future, signature, secret: SECRET, now })).toEqual({ ok: false, reason: 'future_timestamp' });
  });

  it('same: a stale timestamp is rejected by both (the SDK throws)', () => {
    const stale = String(now - 300_001 - 1000);
    const signature = signV3(SECRET, 'POST', URL_, BODY, stale);
    expect(() => Signature.isValid({ signatureVersion: 'v3', signature, clientSecret: SECRET, requestBody: BODY, url: URL_, method: 'POST', timestamp: Number(stale) })).toThrow(/Timestamp is invalid/);
    expect(verifyHubSpotSignatureV3({ method: 'POST', url: URL_, rawBody: BODY, timestamp: stale, signature, secret: SECRET, now }).ok).toBe(false);
  });
});

describe('buildPublicUrl', () => {
  it.each([
    ['https://app.example.com', '/hubspot/webhooks', 'https://app.example.com/hubspot/webhooks'],
    ['https://app.example.com/', '/hubspot/webhooks?a=1', 'https://app.example.com/hubspot/webhooks?a=1'],
    ['https://app.example.com/prefix//', '/x?q=a%3Ab&r=%27', 'https://app.example.com/prefix/x?q=a%3Ab&r=%27'],
    ['http://127.0.0.1:3000', "/x?q='raw'", "http://127.0.0.1:3000/x?q='raw'"],
  ])('%s + %s', (base, path, expected) => {
    expect(buildPublicUrl(base, path)).toBe(expected);
  });

  it.each([
    ['relative base', 'app.example.com', '/x'],
    ['base with query', 'https://app.example.com/?a=1', '/x'],
    ['absolute-form target', 'https://app.example.com', 'https://evil.example.com/x'],
    ['target without slash', 'https://app.example.com', 'x'],
  ])('refuses %s', (_name, base, path) => {
    expect(() => buildPublicUrl(base, path)).toThrow(TypeError);
  });
});
