/**
 * The scopes of the install URL. They must equal `requiredScopes` / `optionalScopes` of
 * hubspot-project/app/app-hsmeta.json exactly (HubSpot rejects an install URL that disagrees with the app's
 * configuration; scopes.test.ts compares them). Kept as a constant so the server never reads the project files.
 */
export const HUBSPOT_REQUIRED_SCOPES = [
  'oauth',
  'tickets',
  'conversations.read',
  'conversations.write',
  'crm.objects.owners.read',
  'crm.objects.contacts.read',
  'automation',
] as const;

export const HUBSPOT_OPTIONAL_SCOPES: readonly string[] = [];
