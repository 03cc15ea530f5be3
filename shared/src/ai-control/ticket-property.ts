import type { TicketAiStatus } from './state';

/**
 * The HubSpot ticket property that mirrors the AI status, so agents can filter views and workflows can branch
 * on it. Created on install when missing (a 409 means it exists). The shape follows docs/hubspot-contract.md §5.3;
 * the group name `ticketinformation` is UNVERIFIED as the default ticket group.
 */
export const AI_STATUS_PROPERTY_NAME = 'opencx_ai_status';

export const AI_STATUS_PROPERTY = {
  name: AI_STATUS_PROPERTY_NAME,
  label: 'OpenCX AI status',
  description: 'Whether the OpenCX AI assistant answers on this ticket. Set by OpenCX.',
  type: 'enumeration',
  fieldType: 'select',
  groupName: 'ticketinformation',
  options: [
    { label: 'Active', value: 'active', displayOrder: 0 },
    { label: 'Paused', value: 'paused', displayOrder: 1 },
    { label: 'Handoff requested', value: 'handoff', displayOrder: 2 },
  ],
} as const satisfies {
  name: string;
  options: ReadonlyArray<{ value: TicketAiStatus; label: string; displayOrder: number }>;
  [key: string]: unknown;
};

/**
 * The handoff mark: a yes/no ticket property set when OpenCX hands a ticket to a person. OpenCX documents a ticket
 * *tag* `opencx_handedoff`; HubSpot's stable CRM API has no ticket tags (only a beta object-tags API behind a scope
 * this app does not hold, docs/hubspot-contract.md §5.6), and a property is what HubSpot's views, filters and
 * workflow triggers read. It keeps OpenCX's spelling so a view described in OpenCX's guide finds it by name.
 * Unlike `opencx_ai_status` it stays set when the AI is resumed: it says the ticket was handed off, ever.
 */
export const HANDED_OFF_PROPERTY_NAME = 'opencx_handedoff';

export const HANDED_OFF_PROPERTY = {
  name: HANDED_OFF_PROPERTY_NAME,
  label: 'OpenCX handed off',
  description: 'Set by OpenCX when its AI handed this ticket to a person.',
  type: 'bool',
  fieldType: 'booleancheckbox',
  groupName: 'ticketinformation',
  options: [
    { label: 'Yes', value: 'true', displayOrder: 0 },
    { label: 'No', value: 'false', displayOrder: 1 },
  ],
} as const;
