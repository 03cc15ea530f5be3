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
