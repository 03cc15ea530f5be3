// CRM v3 through the SDK's generated APIs (docs/hubspot-contract.md §5.1–5.4).
import type { Client } from '@hubspot/api-client';
import { HubSpotApiError } from './api-error';
import type { PortalCall } from './portal-call';
import type {
  CrmRecord, Owner, PortalId, PropertyValues, SearchPage, TicketPropertyDefinition, TicketSearch, TicketView,
} from './gateway-types';

// Association type 228 = note→ticket (docs/hubspot-contract.md §5.2: used identically by many integrations; not in HubSpot's own table here).
export const NOTE_TO_TICKET_ASSOCIATION_TYPE_ID = 228;

const TICKET_PROPERTIES = ['subject', 'content', 'hubspot_owner_id', 'hs_pipeline', 'hs_pipeline_stage'];
// CRM object types only: HubSpot ignores an association type it does not know. A ticket's conversation threads
// are not one; they come from the Conversations API (listTicketThreads, docs/hubspot-contract.md §5.5).
const TICKET_ASSOCIATIONS = ['contacts'];
const CONTACT_PROPERTIES = ['email', 'firstname', 'lastname'];

type SdkRecord = {
  id: string;
  properties: Record<string, string | null>;
  createdAt: Date | string;
  updatedAt: Date | string;
  archived?: boolean;
  associations?: Record<string, { results?: { id: string }[] }>;
};
type PropertyCreate = Parameters<Client['crm']['properties']['coreApi']['create']>[1];
type SearchRequest = Parameters<Client['crm']['tickets']['searchApi']['doSearch']>[0];

const iso = (d: Date | string): string => (d instanceof Date ? d.toISOString() : String(d));
const unique = (values: readonly string[]) => [...new Set(values)];
const prop = (p: PropertyValues, name: string) => (p[name] === undefined || p[name] === '' ? null : p[name]!);

function associatedIds(record: SdkRecord, ...names: string[]): string[] {
  const all = names.flatMap((n) => record.associations?.[n]?.results ?? []);
  // The same target can appear once per association label (e.g. primary + unlabelled).
  return unique(all.map((r) => String(r.id)));
}

function toCrmRecord(r: SdkRecord): CrmRecord {
  return { id: String(r.id), properties: { ...r.properties }, createdAt: iso(r.createdAt), updatedAt: iso(r.updatedAt), archived: r.archived ?? false };
}

export function toTicketView(r: SdkRecord): TicketView {
  const base = toCrmRecord(r);
  return {
    ...base,
    subject: prop(base.properties, 'subject'),
    ownerId: prop(base.properties, 'hubspot_owner_id'),
    pipeline: prop(base.properties, 'hs_pipeline'),
    pipelineStage: prop(base.properties, 'hs_pipeline_stage'),
    contactIds: associatedIds(r, 'contacts', 'contact'),
  };
}

function toOwner(o: { id: string; userId?: number; email?: string; firstName?: string; lastName?: string; archived: boolean; teams?: { id: string; name: string; primary: boolean }[] }): Owner {
  return { id: String(o.id), userId: o.userId, email: o.email, firstName: o.firstName, lastName: o.lastName, archived: o.archived, teams: o.teams ?? [] };
}

function ownerIdNumber(value: string | number, what: string): number {
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n <= 0) {
    throw new HubSpotApiError({ kind: 'validation', status: 0, message: `${what} must be a positive integer` });
  }
  return n;
}

export function createCrmOperations(call: PortalCall) {
  return {
    getTicket: (portalId: PortalId, ticketId: string, opts: { properties?: string[]; associations?: string[] } = {}) =>
      call(portalId, 'getTicket', { idempotent: true }, async (client) => {
        const properties = unique([...TICKET_PROPERTIES, ...(opts.properties ?? [])]);
        const record = await client.crm.tickets.basicApi.getById(ticketId, properties, undefined, opts.associations ?? TICKET_ASSOCIATIONS);
        return toTicketView(record as SdkRecord);
      }),

    // Same body twice leaves the same state: safe to retry.
    updateTicket: (portalId: PortalId, ticketId: string, properties: Record<string, string>) =>
      call(portalId, 'updateTicket', { idempotent: true }, async (client) =>
        toCrmRecord((await client.crm.tickets.basicApi.update(ticketId, { properties })) as SdkRecord)),

    searchTickets: (portalId: PortalId, search: TicketSearch): Promise<SearchPage<TicketView>> =>
      call(portalId, 'searchTickets', { idempotent: true, search: true }, async (client) => {
        const request = {
          filterGroups: search.filters.length > 0 ? [{ filters: search.filters }] : [],
          properties: unique([...TICKET_PROPERTIES, ...(search.properties ?? [])]),
          limit: Math.min(search.limit ?? 100, 200),
          ...(search.after ? { after: search.after } : {}),
          // The SDK types `sorts` as string[], but HubSpot documents {propertyName, direction} objects; the SDK
          // serializer passes them through unchanged.
          ...(search.sorts ? { sorts: search.sorts } : {}),
        } as unknown as SearchRequest;
        const page = await client.crm.tickets.searchApi.doSearch(request);
        const nextAfter = page.paging?.next?.after;
        return { total: page.total, results: page.results.map((r) => toTicketView(r as SdkRecord)), ...(nextAfter ? { nextAfter } : {}) };
      }),

    // A create: not retried after a timeout or 5xx (see retry-policy.ts), or the ticket could get two notes.
    createTicketNote: (portalId: PortalId, ticketId: string, htmlBody: string, timestamp: Date | number | string) =>
      call(portalId, 'createTicketNote', { idempotent: false }, async (client) => {
        const hsTimestamp = timestamp instanceof Date ? timestamp.toISOString() : String(timestamp);
        const note = await client.crm.objects.notes.basicApi.create({
          properties: { hs_timestamp: hsTimestamp, hs_note_body: htmlBody },
          associations: [{
            to: { id: ticketId },
            types: [{ associationCategory: 'HUBSPOT_DEFINED', associationTypeId: NOTE_TO_TICKET_ASSOCIATION_TYPE_ID }],
          }],
        } as Parameters<Client['crm']['objects']['notes']['basicApi']['create']>[0]);
        return { noteId: String(note.id) };
      }),

    /** Creates the property; "already exists" (409) is success. Retry-safe for the same reason. */
    ensureTicketProperty: (portalId: PortalId, definition: TicketPropertyDefinition) =>
      call(portalId, 'ensureTicketProperty', { idempotent: true }, async (client) => {
        try {
          await client.crm.properties.coreApi.create('tickets', definition as unknown as PropertyCreate);
          return { created: true };
        } catch (error) {
          // UNVERIFIED: HubSpot answers 409 (category OBJECT_ALREADY_EXISTS) for a duplicate name (docs/hubspot-contract.md §5.3)
          if ((error as { code?: unknown }).code === 409) return { created: false };
          throw error;
        }
      }),

    /** The portal's own ticket properties (not HubSpot's built-in ones) whose values can be written. */
    listWritableCustomTicketProperties: (portalId: PortalId) =>
      call(portalId, 'listTicketProperties', { idempotent: true }, async (client) => {
        const page = await client.crm.properties.coreApi.getAll('tickets', false);
        return page.results
          .filter((p) => !p.hubspotDefined && !p.calculated && p.modificationMetadata?.readOnlyValue !== true)
          .map((p) => p.name);
      }),

    getOwner: (portalId: PortalId, ownerId: string | number) =>
      call(portalId, 'getOwner', { idempotent: true }, async (client) =>
        toOwner(await client.crm.owners.ownersApi.getById(ownerIdNumber(ownerId, 'ownerId'), 'id'))),

    /** By HubSpot user id: the `A-<userId>` of a conversation actor, not `hubspot_owner_id` (docs/hubspot-contract.md §5.4). */
    getOwnerByUserId: (portalId: PortalId, userId: string | number) =>
      call(portalId, 'getOwnerByUserId', { idempotent: true }, async (client) =>
        toOwner(await client.crm.owners.ownersApi.getById(ownerIdNumber(userId, 'userId'), 'userId'))),

    /** The portal's active owners (users who can own records), every page up to `max`; for the AI sender picker. */
    listOwners: (portalId: PortalId, max = 500) =>
      call(portalId, 'listOwners', { idempotent: true }, async (client) => {
        const owners: Owner[] = [];
        let after: string | undefined;
        do {
          const page = await client.crm.owners.ownersApi.getPage(undefined, after, 100, false);
          owners.push(...page.results.map(toOwner));
          after = page.paging?.next?.after;
        } while (after && owners.length < max);
        return owners.slice(0, max);
      }),

    getContact: (portalId: PortalId, contactId: string, properties: string[] = []) =>
      call(portalId, 'getContact', { idempotent: true }, async (client) =>
        toCrmRecord((await client.crm.contacts.basicApi.getById(contactId, unique([...CONTACT_PROPERTIES, ...properties]))) as SdkRecord)),
  };
}
