// Offline HubSpot project validator. Usage (from this folder):
//   node --import ./register.mjs validate.mjs [projectDir] [--check-card-shared] [--strict]
// Exits 1 when the project has errors (or, with --strict, warnings too, e.g. a placeholder BACKEND_URL).
import path from 'node:path';

const args = process.argv.slice(2);
const projectDir = path.resolve(args.find((a) => !a.startsWith('--')) ?? '.');
const strict = args.includes('--strict');

// Imported dynamically so that a missing --import hook gives a clear message instead of a network error.
if (!process.execArgv.some((a) => a.includes('register.mjs'))) {
  console.error('Run with: node --import ./register.mjs validate.mjs [projectDir]');
  process.exit(2);
}
const { validateProject } = await import('./validate-project.mjs');
const { ok, runs } = await validateProject(projectDir, { checkCardShared: args.includes('--check-card-shared') });

const label = (profile) => (profile === undefined ? 'no profile' : `profile "${profile}"`);
let warnings = 0;
for (const run of runs) {
  if (run.errorText) console.error(`✖ ${label(run.profile)}:\n${run.errorText}\n`);
  else console.log(`✔ ${label(run.profile)}: ${run.components.length} components: ${run.components.join(', ')}`);
  for (const warning of run.warnings) console.warn(`  ⚠ ${label(run.profile)}: ${warning}`);
  warnings += run.warnings.length;
}
const failed = !ok || (strict && warnings > 0);
console.log(failed ? `HubSpot project ${projectDir} is INVALID` : `HubSpot project ${projectDir} is valid (offline check)`);
process.exit(failed ? 1 : 0);
