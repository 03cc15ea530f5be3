// The empty in-memory state and the built-in ticket property definitions every portal starts with.
import type { SandboxState, Subscription } from './runtime-types';
import type { PropertyDefinition, PropertyOption } from './types';
import { isoAt } from './ids';

export function createEmptyState(rateLimit: { max: number; intervalMs: number }): SandboxState {
  return {
    portals: {},
    authCodes: {},
    accessTokens: {},
    refreshTokens: {},
    privateAppTokens: {},
    appTokens: {},
    journal: [],
    webhook: { maxConcurrentRequests: 10, subscriptions: [] as Subscription[], injections: {} },
    webhookEvents: [],
    webhookDeliveries: [],
    actionDefinitions: [],
    actionExecutions: [],
    cardFetches: [],
    apiRequests: [],
    apiCalls: {},
    contractViolations: [],
    rateLimit: { ...rateLimit },
    faults: [],
    counters: {},
  };
}

/** Keeps long-running local sessions from growing without bound; tests stay far below this. */
export const LOG_CAP = 2000;
export function pushCapped<T>(list: T[], item: T): void {
  list.push(item);
  if (list.length > LOG_CAP) list.splice(0, list.length - LOG_CAP);
}

// Pipeline "0" and its stages mirror HubSpot's default support pipeline.
// ASSUMPTION (UNVERIFIED): stage ids 1-4 and labels of the default ticket pipeline; source: docs/hubspot-contract.md §5.1 example (hs_pipeline "0", stage "1")
export const DEFAULT_STAGES: PropertyOption[] = [
  { label: 'New', value: '1', displayOrder: 0 },
  { label: 'Waiting on contact', value: '2', displayOrder: 1 },
  { label: 'Waiting on us', value: '3', displayOrder: 2 },
  { label: 'Closed', value: '4', displayOrder: 3 },
];

export function propertyDefinition(
  input: Pick<PropertyDefinition, 'name' | 'label' | 'type' | 'fieldType'> & Partial<PropertyDefinition>,
  at: number,
): PropertyDefinition {
  return {
    groupName: 'ticketinformation',
    description: '',
    options: [],
    displayOrder: -1,
    calculated: false,
    externalOptions: false,
    hasUniqueValue: false,
    hidden: false,
    formField: true,
    modificationMetadata: { archivable: true, readOnlyDefinition: false, readOnlyValue: false },
    createdAt: isoAt(at),
    updatedAt: isoAt(at),
    archived: false,
    ...input,
  };
}

const readOnly = { archivable: false, readOnlyDefinition: true, readOnlyValue: true };
const builtIn = { archivable: false, readOnlyDefinition: true, readOnlyValue: false };

export function builtInTicketProperties(at: number): Record<string, PropertyDefinition> {
  const defs: PropertyDefinition[] = [
    propertyDefinition({ name: 'subject', label: 'Ticket name', type: 'string', fieldType: 'text', hubspotDefined: true, modificationMetadata: builtIn }, at),
    propertyDefinition({ name: 'content', label: 'Ticket description', type: 'string', fieldType: 'textarea', hubspotDefined: true, modificationMetadata: builtIn }, at),
    propertyDefinition({ name: 'hubspot_owner_id', label: 'Ticket owner', type: 'enumeration', fieldType: 'select', externalOptions: true, hubspotDefined: true, modificationMetadata: builtIn }, at),
    propertyDefinition({ name: 'hs_pipeline', label: 'Pipeline', type: 'enumeration', fieldType: 'select', options: [{ label: 'Support Pipeline', value: '0', displayOrder: 0 }], hubspotDefined: true, modificationMetadata: builtIn }, at),
    propertyDefinition({ name: 'hs_pipeline_stage', label: 'Ticket status', type: 'enumeration', fieldType: 'select', options: DEFAULT_STAGES, hubspotDefined: true, modificationMetadata: builtIn }, at),
    propertyDefinition({
      name: 'hs_ticket_priority', label: 'Priority', type: 'enumeration', fieldType: 'select', hubspotDefined: true, modificationMetadata: builtIn,
      options: ['LOW', 'MEDIUM', 'HIGH', 'URGENT'].map((v, i) => ({ label: v[0] + v.slice(1).toLowerCase(), value: v, displayOrder: i })),
    }, at),
    propertyDefinition({ name: 'createdate', label: 'Create date', type: 'datetime', fieldType: 'date', hubspotDefined: true, modificationMetadata: readOnly }, at),
    propertyDefinition({ name: 'hs_lastmodifieddate', label: 'Last modified date', type: 'datetime', fieldType: 'date', hubspotDefined: true, modificationMetadata: readOnly }, at),
    propertyDefinition({ name: 'hs_object_id', label: 'Record ID', type: 'number', fieldType: 'number', hubspotDefined: true, modificationMetadata: readOnly }, at),
  ];
  return Object.fromEntries(defs.map((d) => [d.name, d]));
}

// ASSUMPTION (UNVERIFIED): the property set HubSpot returns for a ticket when `properties` is not given.
// source: docs/hubspot-contract.md §5.1 example response
export const DEFAULT_TICKET_PROPERTIES = [
  'content', 'createdate', 'hs_lastmodifieddate', 'hs_object_id', 'hs_pipeline', 'hs_pipeline_stage',
  'hs_ticket_priority', 'subject',
];

// ASSUMPTION (UNVERIFIED): default property sets for notes and contacts. source: general CRM v3 behaviour, not in the reference
export const DEFAULT_NOTE_PROPERTIES = ['hs_createdate', 'hs_lastmodifieddate', 'hs_object_id', 'hs_note_body', 'hs_timestamp'];
export const NOTE_PROPERTIES = ['hs_note_body', 'hs_timestamp', 'hubspot_owner_id', 'hs_attachment_ids'];
export const DEFAULT_CONTACT_PROPERTIES = ['createdate', 'email', 'firstname', 'hs_object_id', 'lastmodifieddate', 'lastname'];
