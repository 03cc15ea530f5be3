// CRM v3 calls a handoff needs besides the ticket ones: the customer's contact by email (search, create), the
// handoff ticket (create, with its contact association), and the ticket pipelines for the settings page
// (docs/hubspot-contract.md §5.6).
import type { Client } from '@hubspot/api-client';
import type { PortalCall } from './portal-call';
import type { PortalId } from './gateway-types';

// Association type 16 = ticket→contact, HUBSPOT_DEFINED (docs/hubspot-contract.md §5.6).
export const TICKET_TO_CONTACT_ASSOCIATION_TYPE_ID = 16;

export interface TicketPipeline {
  id: string;
  label: string;
  stages: { id: string; label: string }[];
}

type ContactSearch = Parameters<Client['crm']['contacts']['searchApi']['doSearch']>[0];
type TicketCreate = Parameters<Client['crm']['tickets']['basicApi']['create']>[0];
type ContactCreate = Parameters<Client['crm']['contacts']['basicApi']['create']>[0];

const byOrder = <T extends { displayOrder: number }>(a: T, b: T) => a.displayOrder - b.displayOrder;

export function createHandoffOperations(call: PortalCall) {
  return {
    /** The oldest contact with this email (HubSpot keeps emails unique per portal, but search is eventually consistent). */
    findContactByEmail: (portalId: PortalId, email: string) =>
      call(portalId, 'findContactByEmail', { idempotent: true, search: true }, async (client) => {
        const page = await client.crm.contacts.searchApi.doSearch({
          filterGroups: [{ filters: [{ propertyName: 'email', operator: 'EQ', value: email }] }],
          properties: ['email'],
          limit: 1,
          sorts: [{ propertyName: 'createdate', direction: 'ASCENDING' }],
        } as unknown as ContactSearch);
        const first = page.results[0];
        return first ? String(first.id) : null;
      }),

    // A create: not retried after a timeout or 5xx (retry-policy.ts); the handoff searches again first.
    createContact: (portalId: PortalId, properties: Record<string, string>) =>
      call(portalId, 'createContact', { idempotent: false }, async (client) =>
        String((await client.crm.contacts.basicApi.create({ properties, associations: [] } as ContactCreate)).id)),

    createTicket: (portalId: PortalId, input: { properties: Record<string, string>; contactId: string | null }) =>
      call(portalId, 'createTicket', { idempotent: false }, async (client) => {
        const associations = input.contactId
          ? [{ to: { id: input.contactId }, types: [{ associationCategory: 'HUBSPOT_DEFINED', associationTypeId: TICKET_TO_CONTACT_ASSOCIATION_TYPE_ID }] }]
          : [];
        const ticket = await client.crm.tickets.basicApi.create({ properties: input.properties, associations } as TicketCreate);
        return String(ticket.id);
      }),

    listTicketPipelines: (portalId: PortalId) =>
      call(portalId, 'listTicketPipelines', { idempotent: true }, async (client): Promise<TicketPipeline[]> => {
        const page = await client.crm.pipelines.pipelinesApi.getAll('tickets');
        return [...page.results].filter((p) => !p.archived).sort(byOrder).map((p) => ({
          id: p.id,
          label: p.label,
          stages: [...p.stages].filter((s) => !s.archived).sort(byOrder).map((s) => ({ id: s.id, label: s.label })),
        }));
      }),
  };
}
