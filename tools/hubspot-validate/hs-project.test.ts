import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { parseArgs } from './hs-project.mjs';

const run = promisify(execFile);
const here = fileURLToPath(new URL('.', import.meta.url));

/** Runs the guard as the root npm scripts do, but never the real CLI (--guard-only). */
async function guard(...args: string[]) {
  try {
    const { stdout, stderr } = await run(process.execPath, ['hs-project.mjs', '--guard-only', ...args], { cwd: here });
    return { code: 0, output: stdout + stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, output: e.stdout + e.stderr };
  }
}

describe('hs-project.mjs, the guard in front of `hs project …`', () => {
  it('is what the root hs:* scripts run, with the production profile for a release and dev for a test account', () => {
    const { scripts, devDependencies } = JSON.parse(readFileSync(`${here}/../../package.json`, 'utf8'));
    expect(devDependencies['@hubspot/cli']).toBe('8.14.0');
    expect(scripts['hs:upload']).toBe('node tools/hubspot-validate/hs-project.mjs upload --profile production');
    expect(scripts['hs:validate']).toBe('node tools/hubspot-validate/hs-project.mjs validate --profile production');
    expect(scripts['hs:dev']).toBe('node tools/hubspot-validate/hs-project.mjs dev --profile dev');
    expect(scripts['hs:upload:dev']).toBe('node tools/hubspot-validate/hs-project.mjs upload --profile dev');
    const hsScripts = Object.entries(scripts as Record<string, string>).filter(([name]) => name.startsWith('hs:'));
    expect(hsScripts.every(([, command]) => command.startsWith('node tools/hubspot-validate/hs-project.mjs '))).toBe(true);
    expect(hsScripts.some(([, command]) => /local/.test(command))).toBe(false);
  });

  it('finds every spelling of the profile and passes the other arguments on to hs', () => {
    expect(parseArgs(['upload', '--profile', 'production', '-m', 'release 1.2', '--profile=local', '-p', 'dev', '-p=x'])).toMatchObject({
      command: 'upload',
      profiles: ['production', 'local', 'dev', 'x'],
      rest: ['-m', 'release 1.2'],
      problems: [],
    });
    expect(parseArgs(['upload', '-fp', 'local']).problems).toEqual(['write the profile as --profile <name>, not -fp']);
    expect(parseArgs(['upload', '--profile']).problems).toEqual(['--profile needs a profile name']);
  });

  it('refuses the local profile: it is for the sandbox only', async () => {
    const result = await guard('upload', '--profile', 'local');
    expect(result.output).toContain('the "local" profile is for the local sandbox (test/sandbox) only and can never be uploaded');
    expect(result.code).toBe(1);
  });

  it('refuses a second profile appended to an npm script (npm run hs:upload -- --profile local)', async () => {
    const result = await guard('upload', '--profile', 'production', '--profile', 'local');
    expect(result.output).toContain('exactly one profile, please; got production, local');
    expect(result.code).toBe(1);
  });

  it('refuses no profile at all', async () => {
    const result = await guard('upload');
    expect(result.output).toContain('name the profile with --profile <name>');
    expect(result.code).toBe(1);
  });

  it('refuses this repository as committed: placeholder URLs and no accountId', async () => {
    const result = await guard('upload', '--profile', 'production');
    expect(result.output).toContain('URLs use the placeholder https://opencx-hubspot.example.com');
    expect(result.output).toContain('hsprofile.production.json: accountId is not set');
    expect(result.code).toBe(1);
  });

  it('refuses the dev profile while the card is built with the production backend origin', async () => {
    const result = await guard('dev', '--profile', 'dev');
    expect(result.output).toContain(
      'was generated from profile "production", so the card would call that profile\'s backend; run `npm run sync-card-shared --workspace tools/hubspot-validate -- --profile dev` first',
    );
    expect(result.code).toBe(1);
  });

  it('lets a filled-in project through, for the release and for a test account', async () => {
    const release = await guard('--guard-root', 'fixtures/release-ready', 'upload', '--profile', 'production', '-m', 'v1');
    expect(release.output).toContain('would run: hs project upload --profile production -m v1');
    expect(release.code).toBe(0);
    const dev = await guard('--guard-root', 'fixtures/release-ready', 'dev', '--profile', 'dev');
    expect(dev.output).toContain('would run: hs project dev --profile dev');
    expect(dev.code).toBe(0);
  });

  it.each([
    { fixture: 'unpublished-action-in-production', message: 'every workflow action must be published in the production (release) profile' },
    { fixture: 'http-url-in-production', message: 'config.actionUrl: HubSpot only calls public HTTPS URLs, got http://api.fixture.dev' },
  ])('refuses what the offline validator rejects ($fixture)', async ({ fixture, message }) => {
    const result = await guard('--guard-root', `fixtures/${fixture}`, 'upload', '--profile', 'production');
    expect(result.output).toContain('the offline validator rejects profile "production"');
    expect(result.output).toContain(message);
    expect(result.code).toBe(1);
  });
});
