// Offline HubSpot project validator. Usage (from this folder):
//   node --import ./register.mjs validate.mjs [projectDir] [--check-card-shared] [--strict] [--profile <name>]...
// Exits 1 when the project has errors (or, with --strict, warnings too, e.g. a placeholder BACKEND_URL).
// --profile (repeatable) checks only the named profiles; by default every hsprofile.*.json is checked.
import path from 'node:path';

const args = process.argv.slice(2);
const only = args.flatMap((a, i) => (a === '--profile' ? [args[i + 1]] : []));
const projectDir = path.resolve(args.find((a, i) => !a.startsWith('--') && args[i - 1] !== '--profile') ?? '.');
const strict = args.includes('--strict');

// Imported dynamically so that a missing --import hook gives a clear message instead of a network error.
if (!process.execArgv.some((a) => a.includes('register.mjs'))) {
  console.error('Run with: node --import ./register.mjs validate.mjs [projectDir]');
  process.exit(2);
}
const { validateProject } = await import('./validate-project.mjs');
const { isLocalProfile, isReleaseProfile } = await import('./extra-checks.mjs');
const { ok, runs } = await validateProject(projectDir, {
  checkCardShared: args.includes('--check-card-shared'),
  only: only.length ? only : undefined,
});

const label = (profile) => (profile === undefined ? 'no profile' : `profile "${profile}"`);
let warnings = 0;
for (const run of runs) {
  if (run.errorText) console.error(`✖ ${label(run.profile)}:\n${run.errorText}\n`);
  else console.log(`✔ ${label(run.profile)}: ${run.components.length} components: ${run.components.join(', ')}`);
  if (isLocalProfile(run.profile)) console.log(`  ℹ ${label(run.profile)}: sandbox only (test/sandbox); never uploaded`);
  if (isReleaseProfile(run.profile) && !run.errorText) console.log(`  ℹ ${label(run.profile)}: release profile; every workflow action is published`);
  for (const warning of run.warnings) console.warn(`  ⚠ ${label(run.profile)}: ${warning}`);
  warnings += run.warnings.length;
}
const failed = !ok || (strict && warnings > 0);
console.log(failed ? `HubSpot project ${projectDir} is INVALID` : `HubSpot project ${projectDir} is valid (offline check)`);
process.exit(failed ? 1 : 0);
