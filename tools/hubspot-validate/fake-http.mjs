// Stands in for @hubspot/local-dev-lib/http (see hooks.mjs): answers the schema download with local schemas.
import { readFileSync } from 'node:fs';

const load = (name) => JSON.parse(readFileSync(new URL(`./schemas/${name}.schema.json`, import.meta.url), 'utf8'));

/**
 * Keyed by project-parsing-lib's internal component type. A type missing here is reported as "Unsupported type",
 * so SETTINGS is listed (structure only) although this project has no settings page.
 */
export const LOCAL_SCHEMAS = {
  APPLICATION: load('app'),
  CARD: load('card'),
  WEBHOOKS: load('webhooks'),
  WORKFLOW_ACTION: load('workflow-action'),
  SETTINGS: {},
};

export const http = {
  async get() {
    return { data: LOCAL_SCHEMAS };
  },
};
