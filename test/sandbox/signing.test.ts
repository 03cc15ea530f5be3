import { Signature } from '@hubspot/api-client';
import { describe, expect, it } from 'vitest';
import { decodeUriForV3, signatureHeaders, signV1, signV2, signV3 } from './signing';

const SECRET = 'yyyyyyyy-yyyy-yyyy-yyyy-yyyyyyyyyyyy';

describe('HubSpot signatures', () => {
  it('v1 reproduces the published test vector (validating-requests page, docs/hubspot-contract.md §2.2)', () => {
    const body = '[{"eventId":1,"subscriptionId":12345,"portalId":62515,"occurredAt":1564113600000,"subscriptionType":"contact.creation","attemptNumber":0,"objectId":123,"changeSource":"CRM","changeFlag":"NEW","appId":54321}]';
    expect(signV1(SECRET, body)).toBe('232db2615f3d666fe21a8ec971ac7b5402d33b9a925784df3ca654d05f4817de');
  });

  it('v2 reproduces the published test vector (v2-request-validation FAQ, docs/hubspot-contract.md §2.3)', () => {
    expect(signV2(SECRET, 'GET', 'https://www.example.com/webhook_uri')).toBe('eee2dddcc73c94d699f5e395f4b9d454a069a6855fbfa152e91e88823087200e');
  });

  it('v3 decodes only the listed escapes before signing', () => {
    expect(decodeUriForV3('https://x.test/a%3Ab%2Fc?q=%40me%2a%20x%3f')).toBe('https://x.test/a:b/c?q=@me*%20x?');
    const ts = 1_700_000_000_000;
    expect(signV3('s', 'POST', 'https://x.test/p?e=a%40b.c', '{}', ts)).toBe(signV3('s', 'POST', 'https://x.test/p?e=a@b.c', '{}', ts));
  });

  it('@hubspot/api-client Signature.isValid accepts v1, v2 and v3 made here', () => {
    const secret = 'a-client-secret';
    const url = 'https://api.example.com/hubspot/webhooks?x=1';
    const body = '[{"eventId":7,"objectId":42}]';
    const timestamp = Date.now();
    expect(Signature.isValid({ signatureVersion: 'v1', signature: signV1(secret, body), clientSecret: secret, requestBody: body })).toBe(true);
    expect(Signature.isValid({ signatureVersion: 'v2', signature: signV2(secret, 'POST', url, body), clientSecret: secret, requestBody: body, url, method: 'POST' })).toBe(true);
    expect(Signature.isValid({
      signatureVersion: 'v3', signature: signV3(secret, 'POST', url, body, timestamp), clientSecret: secret, requestBody: body, url, method: 'POST', timestamp,
    })).toBe(true);
    expect(Signature.isValid({ signatureVersion: 'v1', signature: signV1('other', body), clientSecret: secret, requestBody: body })).toBe(false);
  });

  it('signatureHeaders sends the legacy version it names plus the v3 pair', () => {
    const h = signatureHeaders({ clientSecret: 's', method: 'POST', url: 'https://a.test/x', body: 'b', timestamp: 5, legacy: 'v2' });
    expect(h).toEqual({
      'X-HubSpot-Signature': signV2('s', 'POST', 'https://a.test/x', 'b'),
      'X-HubSpot-Signature-Version': 'v2',
      'X-HubSpot-Signature-v3': signV3('s', 'POST', 'https://a.test/x', 'b', 5),
      'X-HubSpot-Request-Timestamp': '5',
    });
  });
});
