// fast-check generators of hostile HTTP requests: every public route, mutated paths and query strings, random
// headers (signature headers, content types, cookies, origins) and bodies (random text, JSON, bytes, forms).
import fc from 'fast-check';
import { WORKFLOW_ACTION_NAMES } from '@opencx/shared';

export const SETTINGS = '/settings/integrations/hubspot';

/** Every public endpoint with the method it serves. */
export const PUBLIC_ROUTES: readonly (readonly [string, string])[] = [
  ['POST', '/hubspot/webhooks'],
  ...WORKFLOW_ACTION_NAMES.map((name) => ['POST', `/hubspot/actions/${name}`] as const),
  ['GET', '/hubspot/card/ai-status'],
  ['POST', '/hubspot/card/ai-status'],
  ['GET', '/oauth/install'],
  ['POST', '/oauth/install'],
  ['GET', '/oauth/callback'],
  ['GET', SETTINGS],
  ['POST', `${SETTINGS}/private-app`],
  ['POST', `${SETTINGS}/rollback`],
  ['POST', `${SETTINGS}/disconnect`],
  ['POST', `${SETTINGS}/preferences`],
  ['POST', `${SETTINGS}/pending/pin_1/attach`],
  ['POST', `${SETTINGS}/portal-change/pc_1/confirm`],
  ['POST', `${SETTINGS}/portal-change/pc_1/cancel`],
  ['GET', '/admin/sign-in'],
  ['POST', '/admin/sign-in'],
  ['POST', '/admin/sign-out'],
  ['GET', '/healthz'],
];

const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'HEAD'] as const;

/** Printable ASCII: what an HTTP header value can hold (the fetch API refuses the rest before sending). */
export const headerText = (max = 60) => fc.stringMatching(new RegExp(`^[\\x20-\\x7e]{0,${max}}$`));

const nastySegments = [
  '', '/', '//', '/..', '/../..', '/%2e%2e', '/%2e%2e%2f', '/%00', '/%', '/%E0%A4%A', '/%ff', '/%u0041', '/;x=1', '/.', '/index.html',
  '/%20', '/x'.repeat(200), '/\u2603', '/%F0%9F%92%A9', '/%2F%2F', '/..;/', '/*', '/?', '/#frag',
] as const;

const nastyQueries = [
  '', '?', '?&&&', '?a', '?a=1&a=2', '?%', '?%E0%A4%A=%', '?portalId=%00', '?portalId=1e3&ticketId=-1', '?ticketId=' + '9'.repeat(400),
  '?state=' + 'x'.repeat(3000), '?code=&state=', '?error=access_denied', '?token=%ZZ', '?__proto__=1&constructor=2', '?portalId[]=1',
  '?portalId=62515&portalId=73626', '?userId=0&userEmail=%3Cscript%3E',
] as const;

/** A public route, or a mutation of one (suffixes, encodings, traversal, query strings). */
export const hostilePath = fc.oneof(
  fc.constantFrom(...PUBLIC_ROUTES.map(([, path]) => path)),
  fc
    .tuple(fc.constantFrom(...PUBLIC_ROUTES.map(([, path]) => path)), fc.constantFrom(...nastySegments), fc.constantFrom(...nastyQueries))
    .map(([path, segment, query]) => `${path}${segment}${query}`),
  fc.tuple(fc.constantFrom(...PUBLIC_ROUTES.map(([, path]) => path)), fc.webQueryParameters()).map(([path, q]) => `${path}?${q}`),
  fc.webPath().map((p) => (p.startsWith('/') ? p : `/${p}`)),
  fc.constantFrom('/', '/hubspot', '/hubspot/actions', '/hubspot/actions/unknown', '/hubspot/card', '/oauth', '/settings', '/admin', '/_sandbox/state', '/%2e%2e/etc/passwd'),
);

export const hostileMethod = fc.oneof({ weight: 3, arbitrary: fc.constant<string | null>(null) }, { weight: 1, arbitrary: fc.constantFrom<string | null>(...METHODS) });

const CONTENT_TYPES = [
  'application/json',
  'application/json; charset=utf-8',
  'application/json; charset=utf-16',
  'text/plain',
  'text/html',
  'application/xml',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=XyZ',
  'multipart/form-data',
  'application/octet-stream',
  'garbage',
  '',
] as const;

export const contentType = fc.constantFrom(...CONTENT_TYPES);

export const hostileHeaders = fc.record(
  {
    'content-type': contentType,
    'x-hubspot-signature-v3': fc.oneof(headerText(), fc.base64String({ maxLength: 44 })),
    'x-hubspot-request-timestamp': fc.oneof(headerText(20), fc.integer().map(String), fc.constantFrom('0', '-1', 'NaN', '1e308', String(Date.now()))),
    'x-hubspot-signature': headerText(),
    'x-hubspot-signature-version': fc.constantFrom('v1', 'v2', 'v3', 'V2', '', 'v9'),
    cookie: fc.oneof(headerText(), headerText(80).map((v) => `opencx_admin=${v}`), fc.constant('opencx_admin=%E0%A4%A; opencx_admin=x')),
    origin: fc.oneof(headerText(), fc.constantFrom('null', 'http://127.0.0.1:3000', 'https://evil.example')),
    'sec-fetch-site': fc.constantFrom('same-origin', 'cross-site', 'none', ''),
    accept: fc.constantFrom('application/json', 'text/html', '*/*'),
  },
  { requiredKeys: [] },
);

const eventLike = fc.record(
  {
    eventId: fc.oneof(fc.integer(), fc.string(), fc.constant(null)),
    subscriptionId: fc.oneof(fc.integer(), fc.string()),
    portalId: fc.oneof(fc.integer(), fc.constantFrom(62515, 73626, -1, 2 ** 53), fc.string()),
    appId: fc.oneof(fc.integer(), fc.string()),
    occurredAt: fc.oneof(fc.integer(), fc.double(), fc.string()),
    subscriptionType: fc.oneof(fc.constantFrom('conversation.newMessage', 'object.propertyChange', 'ticket.propertyChange', '__proto__', 'constructor', ''), fc.string()),
    attemptNumber: fc.oneof(fc.nat(), fc.string()),
    objectId: fc.oneof(fc.nat(), fc.string(), fc.constant(null), fc.double()),
    propertyName: fc.oneof(fc.constantFrom('hubspot_owner_id', 'assignedTo'), fc.string()),
    propertyValue: fc.oneof(fc.string(), fc.integer(), fc.constant(null)),
    messageId: fc.oneof(fc.string(), fc.integer()),
    messageType: fc.oneof(fc.constantFrom('MESSAGE', 'COMMENT'), fc.string()),
    objectTypeId: fc.oneof(fc.constantFrom('0-5', '0-1'), fc.string()),
  },
  { requiredKeys: [] },
);

/** Bodies: nothing, text, bytes, any JSON, event-like batches, forms, multipart-looking garbage. */
export const hostileBody = fc.oneof(
  fc.constant(''),
  fc.string({ maxLength: 300 }),
  fc.string({ unit: 'binary', maxLength: 300 }),
  fc.json({ maxDepth: 4 }),
  fc.uint8Array({ maxLength: 300 }),
  fc.array(eventLike, { maxLength: 5 }).map((events) => JSON.stringify(events)),
  fc.dictionary(headerText(12), headerText(40)).map((form) => new URLSearchParams(form).toString()),
  fc.constantFrom('--XyZ\r\nContent-Disposition: form-data; name="token"\r\n\r\nabc\r\n--XyZ--\r\n', '--XyZ\r\n\r\n', '{"a":', '[', 'null', '[]', '[null]', '{"__proto__":{"x":1}}', '\u0000'),
);
