/**
 * The scopes the app asks for at install, each with the operations that need it (docs/hubspot-contract.md has
 * the operation table, test/sandbox/contract/operations.ts the same facts as the sandbox enforces them). They
 * must equal `requiredScopes` / `optionalScopes` of hubspot-project/app/app-hsmeta.json exactly: HubSpot rejects
 * an install URL that disagrees with the app's configuration (scopes.test.ts compares them). Kept here so the
 * server never reads the project files.
 */
export const HUBSPOT_SCOPE_REASONS = {
  oauth: 'every OAuth app; also GET /account-info/v3/details (the connected account)',
  tickets: 'read, search, create and update tickets (owner changes, the OpenCX AI status property, the handoff ticket); create the ticket properties; list ticket pipelines',
  'conversations.read': 'read threads, their ticket (association=TICKET), messages and actors',
  'conversations.write': 'send the AI reply and the handoff comment to a thread; close a thread',
  'crm.objects.owners.read': 'read owners: who took a ticket or conversation, and whether it is a person',
  'crm.objects.contacts.read': 'read the contact of a conversation; search contacts by the customer\'s email on handoff',
  'crm.objects.contacts.write': 'create the customer\'s contact on handoff; create the handoff note on a ticket (notes are guarded by the contacts scopes, not tickets)',
  automation: 'complete a workflow action answered with BLOCK (Send to OpenCX AI)',
} as const;

export type HubSpotScope = keyof typeof HUBSPOT_SCOPE_REASONS;

export const HUBSPOT_REQUIRED_SCOPES = Object.keys(HUBSPOT_SCOPE_REASONS) as HubSpotScope[];

export const HUBSPOT_OPTIONAL_SCOPES: readonly string[] = [];

/** Required scopes a connection's grant lacks: the app asked for more since it was installed (reconnect to grant). */
export function missingScopes(granted: readonly string[]): HubSpotScope[] {
  return HUBSPOT_REQUIRED_SCOPES.filter((s) => !granted.includes(s));
}
