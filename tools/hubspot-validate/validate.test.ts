import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const here = fileURLToPath(new URL('.', import.meta.url));

/** Runs the validator CLI exactly as `npm run validate:hubspot` does (the schema hook needs its own process). */
async function validate(...args: string[]) {
  try {
    const { stdout, stderr } = await run(process.execPath, ['--import', './register.mjs', 'validate.mjs', ...args], { cwd: here });
    return { code: 0, output: stdout + stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, output: e.stdout + e.stderr };
  }
}

// Each fixture is a copy of fixtures/valid-minimal with exactly one defect, and the message that must name it.
const DEFECTS = [
  { fixture: 'duplicate-uid', message: "Duplicate uid 'fixture_action' found in" },
  { fixture: 'nested-hsmeta', message: 'src/app/cards/nested/card-hsmeta.json:\n\t- this hsmeta file is in a nested folder' },
  { fixture: 'second-webhooks', message: 'Only one webhooks component is allowed' },
  { fixture: 'marketplace-static-auth', message: 'config.auth.type: must be equal to constant \n\t\t-  allowedValue: oauth' },
  { fixture: 'property-change-without-name', message: "Missing required field: 'config.subscriptions.crmObjects.0.propertyName'" },
  { fixture: 'missing-action-name', message: "Missing required field: 'config.labels.en.actionName'" },
  { fixture: 'bad-card-location', message: 'config.location: must be equal to one of the allowed values' },
  { fixture: 'unknown-top-level-key', message: 'Unexpected top-level properties found: name' },
  { fixture: 'missing-execution-rule-label', message: "executionRules label 'notConnected' has no message in labels.en.executionRules" },
  { fixture: 'missing-card-entrypoint', message: 'config.entrypoint: /app/cards/Missing.tsx does not exist' },
  { fixture: 'http-url-in-production', message: 'config.actionUrl: HubSpot only calls public HTTPS URLs, got http://api.fixture.dev' },
  // Copies of fixtures/release-ready (profiles local, dev and production) with one defect each.
  {
    fixture: 'unpublished-action-in-production',
    message:
      'src/app/workflow-actions/action-hsmeta.json:\n\t- config.isPublished: every workflow action must be published in the production (release) profile, but it is false',
  },
  {
    fixture: 'action-without-is-published',
    message: 'config.isPublished: every workflow action must be published in the production (release) profile, but it is not set',
  },
  { fixture: 'string-publish-flag', message: 'Value (true) in config.isPublished: must be boolean' },
  { fixture: 'local-profile-with-account', message: 'the local profile is for the sandbox only and must never be uploaded: keep "accountId": 0' },
  { fixture: 'dev-and-production-same-account', message: 'hsprofile.dev.json:\n\t- accountId 123 is also the account of hsprofile.production.json' },
];

const results = new Map<string, Awaited<ReturnType<typeof validate>>>();

beforeAll(async () => {
  const jobs = [
    ...DEFECTS.map(({ fixture }) => [fixture, ['fixtures/' + fixture]] as const),
    ['valid-minimal', ['fixtures/valid-minimal']] as const,
    ['release-ready, strict', ['fixtures/release-ready', '--strict']] as const,
    ['real project', ['../..', '--check-card-shared']] as const,
    ['real project, strict', ['../..', '--strict']] as const,
  ];
  // A few Node processes at a time: each pays project-parsing-lib's start-up, without starving a 2-core runner.
  const queue = [...jobs];
  const worker = async () => {
    for (let job = queue.shift(); job; job = queue.shift()) results.set(job[0], await validate(...job[1]));
  };
  await Promise.all([worker(), worker(), worker(), worker()]);
}, 90_000);

describe('the offline HubSpot validator', () => {
  it.each(DEFECTS)('rejects $fixture, naming the defect', ({ fixture, message }) => {
    const result = results.get(fixture)!;
    expect(result.output).toContain(message);
    expect(result.output).toContain('is INVALID');
    expect(result.code).toBe(1);
  });

  it('accepts the minimal project the defects are made from', () => {
    const result = results.get('valid-minimal')!;
    expect(result.output).toContain('4 components');
    expect(result.code).toBe(0);
  });

  it('accepts, even with --strict, a project whose production profile is filled in and publishes every action', () => {
    const result = results.get('release-ready, strict')!;
    for (const profile of ['dev', 'local', 'production']) expect(result.output).toMatch(new RegExp(`✔ profile "${profile}": 4 components`));
    expect(result.output).toContain('ℹ profile "production": release profile; every workflow action is published');
    expect(result.code).toBe(0);
  });

  it('accepts this repository with the dev, local and production profiles', () => {
    const result = results.get('real project')!;
    expect(result.output).toMatch(/✔ profile "dev": 8 components/);
    expect(result.output).toMatch(/✔ profile "local": 8 components/);
    expect(result.output).toContain('ℹ profile "local": sandbox only (test/sandbox); never uploaded');
    expect(result.output).toMatch(/✔ profile "production": 8 components/);
    expect(result.output).toContain('ℹ profile "production": release profile; every workflow action is published');
    expect(result.code).toBe(0);
  });

  it('keeps isPublished a boolean after HubSpot applies the profile: true in production, false in dev and local', async () => {
    // HubSpot's own substitution (project-parsing-lib), run in a child process for the schema hook.
    const script = `
      import { translate } from '@hubspot/project-parsing-lib/translate';
      const out = {};
      for (const profile of ['dev', 'local', 'production']) {
        const { intermediateRepresentation } = await translate(
          { projectSourceDir: '../../hubspot-project', platformVersion: '2025.2', accountId: 1 }, { profile });
        out[profile] = Object.values(intermediateRepresentation.intermediateNodesIndexedByUid)
          .filter((n) => n.componentType === 'WORKFLOW_ACTION').map((n) => n.config.isPublished);
      }
      console.log(JSON.stringify(out));`;
    const { stdout } = await run(process.execPath, ['--import', './register.mjs', '--input-type=module', '-e', script], { cwd: here });
    expect(JSON.parse(stdout)).toEqual({
      dev: [false, false, false, false],
      local: [false, false, false, false],
      production: [true, true, true, true],
    });
  });

  it('in --strict mode, refuses the placeholder backend URL of the committed production profile', () => {
    const result = results.get('real project, strict')!;
    expect(result.output).toContain('placeholder https://opencx-hubspot.example.com');
    expect(result.output).toContain('placeholder https://opencx-dev-tunnel.example.com');
    expect(result.code).toBe(1);
  });

  it('refuses to run without the schema hook instead of trying the network', async () => {
    const { stderr } = await run(process.execPath, ['validate.mjs', '../..'], { cwd: here }).catch((e: { stderr: string }) => e);
    expect(stderr).toContain('node --import ./register.mjs');
  });
});
