import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { HUBSPOT_OPTIONAL_SCOPES, HUBSPOT_REQUIRED_SCOPES } from './scopes';

const hsmeta = JSON.parse(
  readFileSync(fileURLToPath(new URL('../../../hubspot-project/app/app-hsmeta.json', import.meta.url)), 'utf8'),
) as { config: { auth: { requiredScopes: string[]; optionalScopes: string[] } } };

describe('install URL scopes', () => {
  it('are exactly the required and optional scopes of app-hsmeta.json', () => {
    expect([...HUBSPOT_REQUIRED_SCOPES]).toEqual(hsmeta.config.auth.requiredScopes);
    expect([...HUBSPOT_OPTIONAL_SCOPES]).toEqual(hsmeta.config.auth.optionalScopes);
  });
});
