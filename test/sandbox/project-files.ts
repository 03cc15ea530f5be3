// Reads the HubSpot project's hsmeta files the way HubSpot would after `hs project upload`: app auth settings,
// the webhooks component (target URL, subscriptions) and workflow-action definitions (docs/hubspot-contract.md §8.2–§8.4).
// Missing or unreadable files are not fatal: the sandbox keeps working with defaults and says so in `warnings`.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { ActionDefinition, Subscription, SubscriptionGroup } from './runtime-types';

export interface ProjectApp {
  name?: string;
  redirectUrls: string[];
  requiredScopes: string[];
  optionalScopes: string[];
  conditionallyRequiredScopes: string[];
}

export interface ProjectWebhooks {
  targetUrl?: string;
  maxConcurrentRequests?: number;
  subscriptions: Omit<Subscription, 'id'>[];
}

export interface ProjectFiles {
  appDir?: string;
  app?: ProjectApp;
  webhooks?: ProjectWebhooks;
  actions: Omit<ActionDefinition, 'actionDefinitionId' | 'actionDefinitionVersion'>[];
  warnings: string[];
}

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
type JsonObject = { [k: string]: Json };

/** Replaces `${VAR}` in every string; unknown variables stay as written and are reported. */
export function resolvePlaceholders(value: Json, vars: Record<string, string>, missing: Set<string>): Json {
  if (typeof value === 'string') {
    return value.replace(/\$\{([A-Za-z0-9_]+)\}/g, (whole, name: string) => {
      const v = vars[name];
      if (v === undefined) missing.add(name);
      return v ?? whole;
    });
  }
  if (Array.isArray(value)) return value.map((v) => resolvePlaceholders(v, vars, missing));
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, resolvePlaceholders(v, vars, missing)]));
  }
  return value;
}

const asObject = (v: Json | undefined): JsonObject => (v && typeof v === 'object' && !Array.isArray(v) ? v : {});
const asArray = (v: Json | undefined): Json[] => (Array.isArray(v) ? v : []);
const asString = (v: Json | undefined): string | undefined => (typeof v === 'string' ? v : undefined);
const asStrings = (v: Json | undefined): string[] => asArray(v).filter((x): x is string => typeof x === 'string');

function findAppDir(projectDir: string): string | undefined {
  // The brief puts components in hubspot-project/app; HubSpot's templates use src/app, so accept both.
  const candidates = [join(projectDir, 'hubspot-project', 'app'), join(projectDir, 'hubspot-project', 'src', 'app')];
  return candidates.find((dir) => existsSync(dir));
}

function listHsmeta(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith('-hsmeta.json'))
    .sort()
    .map((f) => join(dir, f));
}

function readConfig(file: string, vars: Record<string, string>, warnings: string[]): JsonObject | undefined {
  try {
    const missing = new Set<string>();
    const parsed = resolvePlaceholders(JSON.parse(readFileSync(file, 'utf8')) as Json, vars, missing);
    if (missing.size > 0) warnings.push(`${basename(file)}: no value for ${[...missing].map((m) => `\${${m}}`).join(', ')}`);
    return asObject(asObject(parsed)['config']);
  } catch (err) {
    warnings.push(`${basename(file)}: unreadable (${(err as Error).message})`);
    return undefined;
  }
}

function parseSubscriptions(subs: JsonObject): Omit<Subscription, 'id'>[] {
  const groups: SubscriptionGroup[] = ['crmObjects', 'legacyCrmObjects', 'hubEvents'];
  return groups.flatMap((group) =>
    asArray(subs[group]).map((entry) => {
      const e = asObject(entry);
      return {
        group,
        subscriptionType: asString(e['subscriptionType']) ?? '',
        objectType: asString(e['objectType']),
        propertyName: asString(e['propertyName']),
        active: e['active'] !== false,
      };
    }),
  );
}

function readActions(dir: string, vars: Record<string, string>, warnings: string[]): ProjectFiles['actions'] {
  return listHsmeta(dir).flatMap((file) => {
    const config = readConfig(file, vars, warnings);
    if (!config) return [];
    const raw = JSON.parse(readFileSync(file, 'utf8')) as JsonObject;
    const names = (list: Json | undefined) =>
      asArray(list).map((f) => asString(asObject(asObject(f)['typeDefinition'])['name'])).filter((n): n is string => !!n);
    return [{
      uid: asString(raw['uid']) ?? basename(file, '-hsmeta.json'),
      fileKey: basename(file, '-hsmeta.json'),
      actionUrl: asString(config['actionUrl']),
      objectTypes: asStrings(config['objectTypes']),
      objectProperties: asStrings(asObject(config['objectRequestOptions'])['properties']),
      inputFieldNames: names(config['inputFields']),
      outputFieldNames: names(config['outputFields']),
    }];
  });
}

/**
 * The variables of the sandbox's own profile, `hsprofile.local.json` (e.g. PUBLISH_ACTIONS), as strings: the
 * sandbox substitutes text. BACKEND_URL is left out: where the backend runs is the caller's to say (a test's
 * server listens on a free port), and without it the sandbox delivers nothing.
 */
function localProfileVariables(projectDir: string): Record<string, string> {
  const file = join(projectDir, 'hubspot-project', 'hsprofile.local.json');
  if (!existsSync(file)) return {};
  try {
    const variables = asObject(asObject(JSON.parse(readFileSync(file, 'utf8')) as Json)['variables']);
    return Object.fromEntries(Object.entries(variables).filter(([k]) => k !== 'BACKEND_URL').map(([k, v]) => [k, String(v)]));
  } catch {
    return {};
  }
}

export function loadProjectFiles(projectDir: string, callerVars: Record<string, string>): ProjectFiles {
  const warnings: string[] = [];
  const appDir = findAppDir(projectDir);
  if (!appDir) return { actions: [], warnings: [`no hubspot-project/app folder under ${projectDir}`] };
  const vars = { ...localProfileVariables(projectDir), ...callerVars };

  let app: ProjectApp | undefined;
  const appFile = listHsmeta(appDir).find((f) => basename(f) === 'app-hsmeta.json') ?? listHsmeta(appDir)[0];
  const appConfig = appFile ? readConfig(appFile, vars, warnings) : undefined;
  if (appConfig) {
    const auth = asObject(appConfig['auth']);
    app = {
      name: asString(appConfig['name']),
      redirectUrls: asStrings(auth['redirectUrls']),
      requiredScopes: asStrings(auth['requiredScopes']),
      optionalScopes: asStrings(auth['optionalScopes']),
      conditionallyRequiredScopes: asStrings(auth['conditionallyRequiredScopes']),
    };
  }

  let webhooks: ProjectWebhooks | undefined;
  const webhookFile = listHsmeta(join(appDir, 'webhooks'))[0];
  const webhookConfig = webhookFile ? readConfig(webhookFile, vars, warnings) : undefined;
  if (webhookConfig) {
    const settings = asObject(webhookConfig['settings']);
    const max = settings['maxConcurrentRequests'];
    webhooks = {
      targetUrl: asString(settings['targetUrl']),
      maxConcurrentRequests: typeof max === 'number' ? max : undefined,
      subscriptions: parseSubscriptions(asObject(webhookConfig['subscriptions'])),
    };
  } else {
    warnings.push('no webhooks *-hsmeta.json; using default subscriptions');
  }

  const actions = readActions(join(appDir, 'workflow-actions'), vars, warnings);
  return { appDir, app, webhooks, actions, warnings };
}
