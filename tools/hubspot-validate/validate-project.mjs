// The offline validator's core. Import it only after register.mjs has installed the schema hook (validate.mjs
// is started with `node --import ./register.mjs`), or project-parsing-lib tries to download HubSpot's schemas.
import path from 'node:path';
import { parseProjectConfig } from '@hubspot/project-parsing-lib/projects';
import { getAllHsProfiles, loadHsProfileFile } from '@hubspot/project-parsing-lib/profiles';
import { isTranslationError, translate } from '@hubspot/project-parsing-lib/translate';
import { runExtraChecks, isLocalProfile } from './extra-checks.mjs';
import { checkCardShared } from './sync-card-shared.mjs';

/** Collects messages per file, printed like project-parsing-lib's own errors. */
function createReport(srcDirName) {
  const errors = new Map();
  const warnings = [];
  const fileOf = (node) => `${srcDirName}/${node.metaFilePath}`;
  return {
    errors,
    warnings,
    error(node, message) {
      const file = typeof node === 'string' ? node : fileOf(node);
      errors.set(file, [...(errors.get(file) ?? []), message]);
    },
    warn(node, message) {
      warnings.push(`${typeof node === 'string' ? node : fileOf(node)}: ${message}`);
    },
    text() {
      return [...errors].map(([file, list]) => `Encountered the following errors for ${file}:\n\t- ${list.join('\n\t- ')}`).join('\n');
    },
  };
}

function checkProfileFile(srcDir, profile, report) {
  const file = `hsprofile.${profile}.json`;
  const contents = loadHsProfileFile(srcDir, profile);
  if (typeof contents?.variables !== 'object' || contents.variables === null) report.error(file, 'has no "variables" object');
  if (typeof contents?.accountId !== 'number') report.error(file, '"accountId" must be a number');
  else if (isLocalProfile(profile) && contents.accountId !== 0) {
    report.error(file, `the local profile is for the sandbox only and must never be uploaded: keep "accountId": 0 (the HubSpot CLI refuses a profile without an account), got ${contents.accountId}; use the dev profile for a HubSpot test account`);
  } else if (contents.accountId <= 0 && !isLocalProfile(profile)) {
    report.warn(file, 'accountId is not set; put the ID of the HubSpot account to upload to');
  }
}

/**
 * HubSpot identifies a project by its name within an account (the CLI looks it up by `hsproject.json` name), so two
 * uploadable profiles with the same account upload to one and the same app: a dev upload would replace the release.
 * Returns, per profile, the message to report on its file.
 */
function sharedAccounts(srcDir, profiles) {
  const byAccount = new Map();
  for (const profile of profiles) {
    if (isLocalProfile(profile)) continue;
    let accountId;
    try {
      accountId = loadHsProfileFile(srcDir, profile)?.accountId;
    } catch {
      continue; // reported by checkProfileFile
    }
    if (typeof accountId === 'number' && accountId > 0) byAccount.set(accountId, [...(byAccount.get(accountId) ?? []), profile]);
  }
  const messages = new Map();
  for (const [accountId, group] of byAccount) {
    if (group.length < 2) continue;
    for (const profile of group) {
      const others = group.filter((p) => p !== profile).map((p) => `hsprofile.${p}.json`).join(', ');
      messages.set(
        profile,
        `accountId ${accountId} is also the account of ${others}: the same project in the same account is one app, so ` +
          'uploading one profile replaces what the other uploaded; give each profile its own HubSpot account',
      );
    }
  }
  return messages;
}

async function validateWithProfile(projectDir, cfg, profile, accountClash) {
  const srcDir = path.join(projectDir, cfg.srcDir);
  const report = createReport(cfg.srcDir);
  let components = [];
  try {
    if (profile) checkProfileFile(srcDir, profile, report);
    if (accountClash) report.error(`hsprofile.${profile}.json`, accountClash);
    const { intermediateRepresentation, skippedHsMetaFiles } = await translate(
      { projectSourceDir: srcDir, platformVersion: cfg.platformVersion, accountId: 1 },
      profile ? { profile } : undefined,
    );
    // HubSpot silently ignores an hsmeta file below its type's folder; here that is an error, since the
    // component would be missing after upload without anyone noticing.
    for (const file of skippedHsMetaFiles) {
      report.error(`${cfg.srcDir}/${file}`, 'this hsmeta file is in a nested folder, so HubSpot skips it; move it directly into its type\'s folder (e.g. app/cards/)');
    }
    const nodes = Object.values(intermediateRepresentation.intermediateNodesIndexedByUid);
    runExtraChecks(nodes, { srcDir, profile }, report);
    components = nodes.map((n) => `${n.componentType}:${n.uid}`);
  } catch (e) {
    const text = isTranslationError(e) ? e.toString() : e instanceof Error ? e.message : String(e);
    return { profile, components, errorText: [text, report.text()].filter(Boolean).join('\n'), warnings: report.warnings };
  }
  return { profile, components, errorText: report.text(), warnings: report.warnings };
}

/**
 * Validates the project in `projectDir` (the folder holding hsproject.json) once per hsprofile.*.json, or once
 * without a profile when there is none; `only` restricts it to the named profiles (each must exist).
 * `checkCardShared` also requires the card's copy of shared code and its backend origin to be up to date (only
 * meaningful for this repository).
 */
export async function validateProject(projectDir, { checkCardShared: withCardShared = false, only } = {}) {
  let cfg;
  try {
    cfg = parseProjectConfig(projectDir);
  } catch (e) {
    return { ok: false, runs: [{ profile: undefined, components: [], errorText: `hsproject.json: ${e.message}`, warnings: [] }] };
  }
  const profiles = await getAllHsProfiles(path.join(projectDir, cfg.srcDir));
  const clashes = sharedAccounts(path.join(projectDir, cfg.srcDir), profiles);
  const runs = [];
  for (const profile of only ?? (profiles.length ? profiles.sort() : [undefined])) {
    if (only && !profiles.includes(profile)) {
      runs.push({ profile, components: [], errorText: `${cfg.srcDir}/hsprofile.${profile}.json does not exist`, warnings: [] });
    } else {
      runs.push(await validateWithProfile(projectDir, cfg, profile, clashes.get(profile)));
    }
  }
  if (withCardShared) {
    const problems = checkCardShared(projectDir);
    if (problems.length) {
      runs.push({ profile: 'card shared code', components: [], errorText: problems.map((p) => `\t- ${p}`).join('\n'), warnings: [] });
    }
  }
  return { ok: runs.every((r) => !r.errorText), runs };
}
