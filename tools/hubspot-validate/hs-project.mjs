// Runs `hs project <command> --profile <name> …` with the @hubspot/cli pinned in the root package.json, after the
// checks HubSpot's CLI does not make. The root npm scripts (hs:upload, hs:dev, hs:validate, …) go through it:
//
//   node tools/hubspot-validate/hs-project.mjs <upload|dev|validate> --profile <name> [more hs arguments]
//     --guard-only        run the checks and print the hs command instead of running it
//     --guard-root <dir>  the folder holding hsproject.json (default: this repository; used by the tests)
//
// It refuses, before the CLI talks to HubSpot:
// - the `local` profile: it is for the local sandbox only (plain-HTTP URLs HubSpot never calls);
// - no profile, or more than one (`npm run hs:upload -- --profile local` would otherwise pass two);
// - whatever the offline validator reports for that profile, warnings included (--strict): non-public or non-HTTPS
//   URLs, placeholder URLs, accountId 0, unpublished workflow actions in the production profile, …;
// - in this repository, a card whose generated backend origin (shared-generated/backend-origin.ts) was made from
//   another profile or is out of date: the card would call another backend than the one uploaded.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire, register } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = path.dirname(fileURLToPath(import.meta.url));
export const REPO_ROOT = path.resolve(HERE, '../..');
const SYNC = 'npm run sync-card-shared --workspace tools/hubspot-validate';
let hookRegistered = false;

/** Splits this script's arguments into its own options, the profile(s) and the arguments passed on to `hs`. */
export function parseArgs(argv) {
  const out = { command: undefined, profiles: [], rest: [], guardOnly: false, root: undefined, problems: [] };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--guard-only') out.guardOnly = true;
    else if (arg === '--guard-root') out.root = path.resolve(argv[++i] ?? '.');
    else if (arg === '--profile' || arg === '-p') {
      if (argv[i + 1] === undefined || argv[i + 1].startsWith('-')) out.problems.push(`${arg} needs a profile name`);
      else out.profiles.push(argv[++i]);
    } else if (arg.startsWith('--profile=') || arg.startsWith('-p=')) out.profiles.push(arg.slice(arg.indexOf('=') + 1));
    else if (/^-[^-]*p/.test(arg)) out.problems.push(`write the profile as --profile <name>, not ${arg}`);
    else if (out.command === undefined && !arg.startsWith('-')) out.command = arg;
    else out.rest.push(arg);
  }
  return out;
}

/** Problems that forbid running `hs project <command>` with `profile` (empty when it may run). */
export async function guardProfile(root, profile, { cardShared = root === REPO_ROOT } = {}) {
  // The schema hook must be in place before project-parsing-lib is first imported (see register.mjs).
  if (!hookRegistered) register('./hooks.mjs', import.meta.url);
  hookRegistered = true;
  const { isLocalProfile } = await import('./extra-checks.mjs');
  const { validateProject } = await import('./validate-project.mjs');
  const { checkCardShared, generatedProfile, DEFAULT_PROFILE } = await import('./sync-card-shared.mjs');

  if (isLocalProfile(profile)) {
    return [
      `the "${profile}" profile is for the local sandbox (test/sandbox) only and can never be uploaded: HubSpot does ` +
        'not call its plain-HTTP URLs. For a HubSpot test account use the dev profile (npm run hs:dev, npm run hs:upload:dev).',
    ];
  }
  const problems = [];
  const { runs } = await validateProject(root, { only: [profile] });
  for (const run of runs) {
    if (run.errorText) problems.push(`the offline validator rejects profile "${profile}":\n${run.errorText}`);
    for (const warning of run.warnings) problems.push(`${warning} (warnings block an upload)`);
  }
  if (cardShared) {
    const generated = generatedProfile(root);
    const sync = profile === DEFAULT_PROFILE ? SYNC : `${SYNC} -- --profile ${profile}`;
    if (generated !== profile) {
      problems.push(
        `the card's backend origin (shared-generated/backend-origin.ts) was generated from profile "${generated}", ` +
          `so the card would call that profile's backend; run \`${sync}\` first` +
          (profile === DEFAULT_PROFILE ? '' : ` (and \`${SYNC}\` again before committing)`),
      );
    } else {
      problems.push(...checkCardShared(root, profile));
    }
  }
  return problems;
}

/** The pinned CLI's entry point (root devDependency @hubspot/cli), run with this Node. */
function hsEntry() {
  try {
    const pkg = createRequire(import.meta.url).resolve('@hubspot/cli/package.json');
    const entry = path.join(path.dirname(pkg), 'bin', 'hs.js');
    return existsSync(entry) ? entry : undefined;
  } catch {
    return undefined;
  }
}

async function main(argv) {
  const args = parseArgs(argv);
  const root = args.root ?? REPO_ROOT;
  const distinct = [...new Set(args.profiles)];
  if (!args.command) args.problems.push('name the hs project command: upload, dev, validate, …');
  if (distinct.length === 0) args.problems.push('name the profile with --profile <name> (the CLI would otherwise pick or prompt)');
  if (distinct.length > 1) {
    args.problems.push(`exactly one profile, please; got ${distinct.join(', ')} (npm run hs:upload already passes --profile production)`);
  }
  const problems = args.problems.length ? args.problems : await guardProfile(root, distinct[0], { cardShared: !args.root });
  const hsArgs = ['project', args.command, ...distinct.flatMap((p) => ['--profile', p]), ...args.rest];
  if (problems.length) {
    console.error(`✖ refusing to run \`hs ${hsArgs.filter(Boolean).join(' ')}\`:`);
    for (const p of problems) console.error(`  - ${p.replaceAll('\n', '\n    ')}`);
    return 1;
  }
  if (args.guardOnly) {
    console.log(`✔ checks passed for profile "${distinct[0]}"; would run: hs ${hsArgs.join(' ')} (in ${root})`);
    return 0;
  }
  const entry = hsEntry();
  if (!entry) {
    console.error('✖ @hubspot/cli is not installed; run `npm install` at the repository root');
    return 1;
  }
  console.log(`✔ checks passed for profile "${distinct[0]}"; running: hs ${hsArgs.join(' ')}`);
  const result = spawnSync(process.execPath, [entry, ...hsArgs], { cwd: root, stdio: 'inherit' });
  if (result.error) console.error(`✖ ${result.error.message}`);
  return result.status ?? 1;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  process.exitCode = await main(process.argv.slice(2));
}
