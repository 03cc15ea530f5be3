// The HubSpot operations the sandbox serves, written down once: method, path, the scopes HubSpot's reference
// lists for each, the query parameters it documents (with their documented defaults) and the success status.
// Every API route of the sandbox is registered FROM this table (contract/route.ts), so the sandbox cannot serve
// an operation that is not here, and the guard refuses what HubSpot's reference does not list. Facts are in our
// own words; the source of each row is HubSpot's OpenAPI collection (read, never copied: its licence reserves it)
// or the reference page named. Background and what is still UNVERIFIED: docs/hubspot-contract.md.

export type HttpMethod = 'GET' | 'POST' | 'PATCH' | 'DELETE';

export interface QueryParam {
  /** The documented default, applied when the caller omits the parameter. */
  default?: string;
  /** The documented values (enumeration); anything else is refused. */
  values?: readonly string[];
  /** Several values (repeated or comma-joined), e.g. `properties`. */
  list?: boolean;
}

export interface ContractOperation {
  id: string;
  method: HttpMethod;
  /** Hono path template (`:name` for path parameters). */
  path: string;
  /**
   * Any one of these grants the call. Empty: no scope (OAuth endpoints authenticate with client credentials).
   * Where HubSpot lists dozens of alternatives (CRM properties), only those an app like ours could hold are
   * kept: the sandbox may be stricter than HubSpot, never looser.
   */
  scopes: readonly string[];
  /** `bearer`: an OAuth or Private App access token. `client`: no bearer (OAuth endpoints). */
  auth: 'bearer' | 'client';
  query: Readonly<Record<string, QueryParam>>;
  /** The documented success status. */
  status: 200 | 201 | 204;
  source: string;
}

const SPEC = 'https://github.com/HubSpot/HubSpot-public-api-spec-collection/blob/main/PublicApiSpecs';
const TICKETS_SPEC = `${SPEC}/CRM/Tickets/Rollouts/424/v3/tickets.json`;
const NOTES_SPEC = `${SPEC}/CRM/Notes/Rollouts/424/v3/notes.json`;
const CONTACTS_SPEC = `${SPEC}/CRM/Contacts/Rollouts/424/v3/contacts.json`;
const OWNERS_SPEC = `${SPEC}/CRM/Crm%20Owners/Rollouts/146888/v3/crmOwners.json`;
const PROPERTIES_SPEC = `${SPEC}/CRM/Properties/Rollouts/145899/v3/properties.json`;
const CONVERSATIONS_SPEC = `${SPEC}/Conversations/Conversations/Rollouts/54902/v3/conversations.json`;
const ACTIONS_SPEC = `${SPEC}/Automation/Actions%20V4/Rollouts/148901/v4/actionsV4.json`;
const OAUTH_V1_SPEC = `${SPEC}/Auth/Oauth/Rollouts/155908/v1/oauth.json`;
const OAUTH_2026_SPEC = `${SPEC}/Auth/Oauth/Rollouts/279897/2026-03/oauth.json`;
const ACCOUNT_SPEC = `${SPEC}/Account/Account%20Info/Rollouts/144923/v3/accountInfo.json`;
const PIPELINES_SPEC = `${SPEC}/CRM/Pipelines/Rollouts/145896/v3/pipelines.json`;
const JOURNAL_SPEC = `${SPEC}/Webhooks%20Journal/Webhooks%20Journal/Rollouts/284944/2026-03/webhooksJournal.json`;
const JOURNAL_GUIDE = 'https://developers.hubspot.com/docs/api-reference/latest/webhooks-journal/guide';
// The spec names the OAuth scope `webhooks-journal-data-access`; the guide has the client-credentials token ask for
// `developer.webhooks_journal.read`. Either grants the call here (docs/hubspot-contract.md §1.5).
const JOURNAL_READ_SCOPES = ['webhooks-journal-data-access', 'developer.webhooks_journal.read'];
const MESSAGES_GUIDE = 'https://developers.hubspot.com/docs/guides/api/conversations/inbox-and-messages';

const BOOL = ['true', 'false'] as const;
/** Read parameters of a CRM object by id (tickets, notes, contacts). */
const CRM_READ_ONE = {
  properties: { list: true },
  propertiesWithHistory: { list: true },
  associations: { list: true },
  archived: { default: 'false', values: BOOL },
  idProperty: {},
} as const satisfies Record<string, QueryParam>;
const PROPERTY_READ = {
  archived: { default: 'false', values: BOOL },
  dataSensitivity: { default: 'non_sensitive', values: ['non_sensitive', 'sensitive', 'highly_sensitive'] },
  locale: {},
  properties: {},
} as const satisfies Record<string, QueryParam>;
// CRM properties accept any of ~100 scopes; these are the ones relevant to this app.
const PROPERTY_READ_SCOPES = ['tickets', 'crm.objects.contacts.read', 'crm.objects.owners.read', 'automation', 'crm.schemas.tickets.read'];
const PROPERTY_WRITE_SCOPES = ['tickets', 'crm.schemas.tickets.write'];
const THREAD = '/conversations/v3/conversations/threads';
// Messages: the reference page documents newest first unless `sort=createdAt` (the OpenAPI file states no default).
const MESSAGE_SORT = { default: '-createdAt', values: ['createdAt', '-createdAt'] } as const;

export const HUBSPOT_CONTRACT = [
  // CRM: tickets
  { id: 'tickets.getById', method: 'GET', path: '/crm/v3/objects/tickets/:ticketId', scopes: ['tickets'], auth: 'bearer', query: CRM_READ_ONE, status: 200, source: TICKETS_SPEC },
  { id: 'tickets.update', method: 'PATCH', path: '/crm/v3/objects/tickets/:ticketId', scopes: ['tickets'], auth: 'bearer', query: { idProperty: {} }, status: 200, source: TICKETS_SPEC },
  { id: 'tickets.create', method: 'POST', path: '/crm/v3/objects/tickets', scopes: ['tickets'], auth: 'bearer', query: {}, status: 201, source: TICKETS_SPEC },
  { id: 'tickets.archive', method: 'DELETE', path: '/crm/v3/objects/tickets/:ticketId', scopes: ['tickets'], auth: 'bearer', query: {}, status: 204, source: TICKETS_SPEC },
  { id: 'tickets.search', method: 'POST', path: '/crm/v3/objects/tickets/search', scopes: ['tickets'], auth: 'bearer', query: {}, status: 200, source: TICKETS_SPEC },
  // CRM: notes (engagements are guarded by the contacts scopes, not `tickets`)
  { id: 'notes.create', method: 'POST', path: '/crm/v3/objects/notes', scopes: ['crm.objects.contacts.write'], auth: 'bearer', query: {}, status: 201, source: NOTES_SPEC },
  { id: 'notes.getById', method: 'GET', path: '/crm/v3/objects/notes/:noteId', scopes: ['crm.objects.contacts.read'], auth: 'bearer', query: CRM_READ_ONE, status: 200, source: NOTES_SPEC },
  // CRM: contacts
  { id: 'contacts.getById', method: 'GET', path: '/crm/v3/objects/contacts/:contactId', scopes: ['crm.objects.contacts.read'], auth: 'bearer', query: CRM_READ_ONE, status: 200, source: CONTACTS_SPEC },
  { id: 'contacts.search', method: 'POST', path: '/crm/v3/objects/contacts/search', scopes: ['crm.objects.contacts.read'], auth: 'bearer', query: {}, status: 200, source: CONTACTS_SPEC },
  { id: 'contacts.create', method: 'POST', path: '/crm/v3/objects/contacts', scopes: ['crm.objects.contacts.write'], auth: 'bearer', query: {}, status: 201, source: CONTACTS_SPEC },
  // CRM: pipelines (the reference accepts ~100 scopes; PROPERTY_READ_SCOPES are the ones relevant to this app)
  { id: 'pipelines.list', method: 'GET', path: '/crm/v3/pipelines/:objectType', scopes: PROPERTY_READ_SCOPES, auth: 'bearer', query: {}, status: 200, source: PIPELINES_SPEC },
  // CRM: properties
  { id: 'properties.list', method: 'GET', path: '/crm/v3/properties/:objectType', scopes: PROPERTY_READ_SCOPES, auth: 'bearer', query: PROPERTY_READ, status: 200, source: PROPERTIES_SPEC },
  { id: 'properties.get', method: 'GET', path: '/crm/v3/properties/:objectType/:propertyName', scopes: PROPERTY_READ_SCOPES, auth: 'bearer', query: PROPERTY_READ, status: 200, source: PROPERTIES_SPEC },
  { id: 'properties.create', method: 'POST', path: '/crm/v3/properties/:objectType', scopes: PROPERTY_WRITE_SCOPES, auth: 'bearer', query: {}, status: 201, source: PROPERTIES_SPEC },
  // CRM: owners
  {
    id: 'owners.list', method: 'GET', path: '/crm/v3/owners', scopes: ['crm.objects.owners.read', 'automation'], auth: 'bearer',
    query: { email: {}, after: {}, limit: { default: '100' }, archived: { default: 'false', values: BOOL } }, status: 200, source: OWNERS_SPEC,
  },
  {
    id: 'owners.getById', method: 'GET', path: '/crm/v3/owners/:ownerId', scopes: ['crm.objects.owners.read', 'automation'], auth: 'bearer',
    query: { idProperty: { default: 'id', values: ['id', 'userId'] }, archived: { default: 'false', values: BOOL } }, status: 200, source: OWNERS_SPEC,
  },
  // Conversations inbox and messages
  {
    id: 'threads.list', method: 'GET', path: THREAD, scopes: ['conversations.read'], auth: 'bearer',
    query: {
      after: {}, limit: {}, sort: { list: true }, archived: { values: BOOL }, associatedContactId: {}, associatedTicketId: {},
      association: { values: ['TICKET'], list: true }, inboxId: { list: true }, latestMessageTimestampAfter: {}, property: {},
      threadStatus: { values: ['OPEN', 'CLOSED'] },
    },
    status: 200, source: CONVERSATIONS_SPEC,
  },
  {
    id: 'threads.getById', method: 'GET', path: `${THREAD}/:threadId`, scopes: ['conversations.read'], auth: 'bearer',
    query: { archived: { values: BOOL }, association: { values: ['TICKET'], list: true }, property: {} }, status: 200, source: CONVERSATIONS_SPEC,
  },
  { id: 'threads.update', method: 'PATCH', path: `${THREAD}/:threadId`, scopes: ['conversations.write'], auth: 'bearer', query: { archived: { values: BOOL } }, status: 200, source: CONVERSATIONS_SPEC },
  { id: 'threads.archive', method: 'DELETE', path: `${THREAD}/:threadId`, scopes: ['conversations.write'], auth: 'bearer', query: {}, status: 204, source: CONVERSATIONS_SPEC },
  {
    id: 'messages.list', method: 'GET', path: `${THREAD}/:threadId/messages`, scopes: ['conversations.read'], auth: 'bearer',
    query: { after: {}, limit: {}, sort: MESSAGE_SORT, archived: { values: BOOL }, property: {} }, status: 200, source: `${CONVERSATIONS_SPEC}; default order: ${MESSAGES_GUIDE}`,
  },
  { id: 'messages.send', method: 'POST', path: `${THREAD}/:threadId/messages`, scopes: ['conversations.write'], auth: 'bearer', query: {}, status: 201, source: CONVERSATIONS_SPEC },
  { id: 'messages.getById', method: 'GET', path: `${THREAD}/:threadId/messages/:messageId`, scopes: ['conversations.read'], auth: 'bearer', query: { property: {} }, status: 200, source: CONVERSATIONS_SPEC },
  { id: 'actors.getById', method: 'GET', path: '/conversations/v3/conversations/actors/:actorId', scopes: ['conversations.read'], auth: 'bearer', query: { property: {} }, status: 200, source: CONVERSATIONS_SPEC },
  { id: 'actors.batchRead', method: 'POST', path: '/conversations/v3/conversations/actors/batch/read', scopes: ['conversations.read'], auth: 'bearer', query: { property: {} }, status: 200, source: CONVERSATIONS_SPEC },
  // Automation: completing a BLOCKed custom workflow action
  { id: 'callbacks.complete', method: 'POST', path: '/automation/v4/actions/callbacks/:callbackId/complete', scopes: ['automation'], auth: 'bearer', query: {}, status: 204, source: ACTIONS_SPEC },
  { id: 'callbacks.completeBatch', method: 'POST', path: '/automation/v4/actions/callbacks/complete', scopes: ['automation'], auth: 'bearer', query: {}, status: 204, source: ACTIONS_SPEC },
  // Account: the only scope listed is `oauth` (OAuth tokens; Private App tokens cannot hold it, see route.ts)
  { id: 'accountInfo.details', method: 'GET', path: '/account-info/v3/details', scopes: ['oauth'], auth: 'bearer', query: {}, status: 200, source: ACCOUNT_SPEC },
  // Webhooks Journal (global): the app's client-credentials token, for every portal it is installed in
  {
    id: 'journal.batchEarliest', method: 'GET', path: '/webhooks-journal/journal/2026-03/batch/earliest/:count', scopes: JOURNAL_READ_SCOPES, auth: 'bearer',
    query: { installPortalId: {} }, status: 200, source: `${JOURNAL_SPEC}; token: ${JOURNAL_GUIDE}`,
  },
  {
    id: 'journal.batchNext', method: 'GET', path: '/webhooks-journal/journal/2026-03/batch/:offset/next/:count', scopes: JOURNAL_READ_SCOPES, auth: 'bearer',
    query: { installPortalId: {} }, status: 200, source: `${JOURNAL_SPEC}; token: ${JOURNAL_GUIDE}`,
  },
  // OAuth: client-authenticated, no bearer and no scope
  { id: 'oauth.v1.token', method: 'POST', path: '/oauth/v1/token', scopes: [], auth: 'client', query: {}, status: 200, source: OAUTH_V1_SPEC },
  { id: 'oauth.v1.accessToken', method: 'GET', path: '/oauth/v1/access-tokens/:token', scopes: [], auth: 'client', query: {}, status: 200, source: OAUTH_V1_SPEC },
  { id: 'oauth.v1.refreshToken', method: 'GET', path: '/oauth/v1/refresh-tokens/:token', scopes: [], auth: 'client', query: {}, status: 200, source: OAUTH_V1_SPEC },
  { id: 'oauth.v1.deleteRefreshToken', method: 'DELETE', path: '/oauth/v1/refresh-tokens/:token', scopes: [], auth: 'client', query: {}, status: 204, source: OAUTH_V1_SPEC },
  { id: 'oauth.token', method: 'POST', path: '/oauth/2026-03/token', scopes: [], auth: 'client', query: {}, status: 200, source: OAUTH_2026_SPEC },
  { id: 'oauth.introspect', method: 'POST', path: '/oauth/2026-03/token/introspect', scopes: [], auth: 'client', query: {}, status: 200, source: OAUTH_2026_SPEC },
  // UNVERIFIED: the success status of revoke (the OpenAPI file lists only `default`); RFC 7009 says 200.
  { id: 'oauth.revoke', method: 'POST', path: '/oauth/2026-03/token/revoke', scopes: [], auth: 'client', query: {}, status: 200, source: OAUTH_2026_SPEC },
] as const satisfies readonly ContractOperation[];

export type OperationId = (typeof HUBSPOT_CONTRACT)[number]['id'];

const byId = new Map<string, ContractOperation>(HUBSPOT_CONTRACT.map((op) => [op.id, op]));

export function contractOperation(id: OperationId): ContractOperation {
  return byId.get(id)!;
}

/** The path prefixes under which the sandbox answers as HubSpot's API (everything else is its own pages). */
export const API_PREFIXES = ['/crm/', '/conversations/', '/automation/', '/account-info/', '/webhooks-journal/', '/oauth/v1/', '/oauth/2026-03/'] as const;

export const isApiPath = (path: string): boolean => API_PREFIXES.some((p) => path.startsWith(p));
