// Rules a per-file JSON Schema cannot express: references between fields of one file, files on disk, and what
// the target profile implies. They run on project-parsing-lib's output, i.e. after profile variables are applied.
import { existsSync } from 'node:fs';
import path from 'node:path';

/** Hosts that mean "not filled in yet" (RFC 2606 reserved names). */
const PLACEHOLDER_HOST = /(^|\.)(example\.(com|org|net)|example|test|invalid)$/;
const LOCAL_HOST = /^(localhost|127\.\d+\.\d+\.\d+|\[::1\]|0\.0\.0\.0)$/;

/**
 * The profile used with the local HubSpot sandbox (test/sandbox) only; HubSpot itself never calls its plain-HTTP
 * URLs, so it can never be uploaded: its accountId must stay 0, which the HubSpot CLI refuses ("Profile … is missing
 * an account id"), and `npm run hs:*` (hs-project.mjs) refuses it by name.
 */
export const isLocalProfile = (profile) => profile === 'local';

/** The release profile: `npm run hs:upload` uploads with it, and customers' accounts install what it builds. */
export const RELEASE_PROFILE = 'production';
export const isReleaseProfile = (profile) => profile === RELEASE_PROFILE;

const urlsOf = (node) => {
  const c = node.config ?? {};
  switch (node.componentType) {
    case 'APPLICATION':
      return [
        ...(c.auth?.redirectUrls ?? []).map((u, i) => [`config.auth.redirectUrls.${i}`, u]),
        ...(c.permittedUrls?.fetch ?? []).map((u, i) => [`config.permittedUrls.fetch.${i}`, u]),
      ];
    case 'WEBHOOKS':
      return [['config.settings.targetUrl', c.settings?.targetUrl]];
    case 'WORKFLOW_ACTION':
      return [['config.actionUrl', c.actionUrl]];
    default:
      return [];
  }
};

function checkUrls(node, profile, report, placeholders) {
  for (const [where, value] of urlsOf(node)) {
    if (typeof value !== 'string') continue;
    let url;
    try {
      url = new URL(value);
    } catch {
      continue; // the JSON Schema's `format: uri` already reports it
    }
    if (isLocalProfile(profile)) continue;
    // UNVERIFIED for redirect URLs (docs/hubspot-contract.md §8.2); documented for fetch origins, webhooks and actions.
    if (url.protocol !== 'https:' || LOCAL_HOST.test(url.hostname)) {
      report.error(node, `${where}: HubSpot only calls public HTTPS URLs, got ${value}`);
    } else if (PLACEHOLDER_HOST.test(url.hostname)) {
      placeholders.add(url.origin);
    }
  }
}

function checkUnresolvedVariables(node, report) {
  const walk = (value, where) => {
    if (typeof value === 'string' && /\$\{[^}]*\}/.test(value)) {
      report.error(node, `${where}: "${value}" still contains a profile variable; add an hsprofile.<name>.json`);
    } else if (value && typeof value === 'object') {
      for (const [key, child] of Object.entries(value)) walk(child, `${where}.${key}`);
    }
  };
  walk(node.config, 'config');
}

function checkWorkflowAction(node, report) {
  const c = node.config ?? {};
  const names = (fields) => (fields ?? []).map((f) => f?.typeDefinition?.name).filter(Boolean);
  const inputs = names(c.inputFields);
  const outputs = names(c.outputFields);
  for (const [locale, labels] of Object.entries(c.labels ?? {})) {
    for (const rule of c.executionRules ?? []) {
      if (!labels?.executionRules?.[rule.labelName]) {
        report.error(node, `executionRules label '${rule.labelName}' has no message in labels.${locale}.executionRules`);
      }
    }
    for (const name of inputs) {
      if (!labels?.inputFieldLabels?.[name]) report.error(node, `input field '${name}' has no labels.${locale}.inputFieldLabels entry`);
    }
    for (const name of outputs) {
      if (!labels?.outputFieldLabels?.[name]) report.error(node, `output field '${name}' has no labels.${locale}.outputFieldLabels entry`);
    }
    for (const [, placeholder] of (labels?.actionCardContent ?? '').matchAll(/\{\{\s*([^}\s]+)\s*\}\}/g)) {
      if (!inputs.includes(placeholder)) {
        report.error(node, `labels.${locale}.actionCardContent uses {{${placeholder}}}, which is not an input field`);
      }
    }
  }
}

// An unpublished action is visible only in the developer's own (test) account (docs/hubspot-contract.md §8.4), so a
// release with one would ship an app whose workflow action customers cannot find.
function checkPublished(node, profile, report) {
  const value = node.config?.isPublished;
  if (isReleaseProfile(profile) && value !== true) {
    report.error(
      node,
      `config.isPublished: every workflow action must be published in the ${profile} (release) profile, but it is ` +
        `${value === undefined ? 'not set (HubSpot defaults it to false)' : JSON.stringify(value)}; unpublished ` +
        'actions are visible only in the developer\'s own account. Use "isPublished": "${PUBLISH_ACTIONS}" with ' +
        `PUBLISH_ACTIONS true in hsprofile.${profile}.json`,
    );
  }
}

function checkCard(node, srcDir, report) {
  const entrypoint = node.config?.entrypoint;
  if (typeof entrypoint === 'string' && !existsSync(path.join(srcDir, entrypoint))) {
    report.error(node, `config.entrypoint: ${entrypoint} does not exist under ${path.basename(srcDir)}/`);
  }
}

/** Runs every extra rule over the parsed components of one profile. */
export function runExtraChecks(nodes, { srcDir, profile }, report) {
  const placeholders = new Set();
  for (const node of nodes) {
    checkUnresolvedVariables(node, report);
    checkUrls(node, profile, report, placeholders);
    if (node.componentType === 'WORKFLOW_ACTION') {
      checkWorkflowAction(node, report);
      checkPublished(node, profile, report);
    }
    if (node.componentType === 'CARD') checkCard(node, srcDir, report);
  }
  // Reported once: a placeholder is expected in the committed template, but not in an upload.
  for (const origin of placeholders) {
    const where = profile ? `hsprofile.${profile}.json` : 'project';
    report.warn(where, `URLs use the placeholder ${origin}; set your backend's origin as BACKEND_URL before uploading`);
  }
}
