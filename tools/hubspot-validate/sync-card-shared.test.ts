import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import {
  CARD_SHARED_MODULES,
  GENERATED_DIR,
  ORIGIN_FILE,
  backendOriginOf,
  checkCardShared,
  generatedProfile,
  writeCardShared,
} from './sync-card-shared.mjs';

const root = fileURLToPath(new URL('../..', import.meta.url));

describe('the card copy of shared code', () => {
  it('is up to date (run `npm run sync-card-shared --workspace tools/hubspot-validate` if not)', () => {
    expect(checkCardShared(root)).toEqual([]);
  });

  it('is committed with the production backend origin', () => {
    expect(generatedProfile(root)).toBe('production');
    expect(readFileSync(path.join(root, GENERATED_DIR, ORIGIN_FILE), 'utf8')).toContain(
      `export const BACKEND_ORIGIN = '${backendOriginOf(root, 'production')}';`,
    );
  });
});

describe('sync-card-shared', () => {
  const temps: string[] = [];
  afterEach(() => temps.splice(0).forEach((dir) => rmSync(dir, { recursive: true, force: true })));

  /** A scratch copy of just the files the script reads and writes. */
  function scratch() {
    const dir = mkdtempSync(path.join(tmpdir(), 'card-sync-'));
    temps.push(dir);
    for (const rel of [
      ...CARD_SHARED_MODULES.map((m) => `shared/src/${m}`),
      'hubspot-project/hsprofile.production.json',
      'hubspot-project/hsprofile.local.json',
      'hubspot-project/app/cards/package.json',
      GENERATED_DIR,
    ]) {
      cpSync(path.join(root, rel), path.join(dir, rel), { recursive: true });
    }
    return dir;
  }
  const edit = (file: string, change: (text: string) => string) => writeFileSync(file, change(readFileSync(file, 'utf8')));

  it.each([
    {
      name: 'a changed shared module',
      change: (dir: string) => edit(path.join(dir, 'shared/src/card/labels.ts'), (t) => t.replace("'Pause AI'", "'Stop AI'")),
      problem: `${GENERATED_DIR}/labels.ts is out of date`,
    },
    {
      name: 'a hand-edited copy',
      change: (dir: string) => edit(path.join(dir, GENERATED_DIR, 'format.ts'), (t) => `${t}\n// tweak\n`),
      problem: `${GENERATED_DIR}/format.ts is out of date`,
    },
    {
      name: 'a new BACKEND_URL',
      change: (dir: string) =>
        edit(path.join(dir, 'hubspot-project/hsprofile.production.json'), (t) => t.replace('opencx-hubspot.example.com', 'cx.acme.io')),
      problem: `${GENERATED_DIR}/${ORIGIN_FILE} is out of date`,
    },
    {
      name: 'a stray file',
      change: (dir: string) => writeFileSync(path.join(dir, GENERATED_DIR, 'extra.ts'), ''),
      problem: `${GENERATED_DIR}/extra.ts is not generated`,
    },
    {
      name: 'an import the card cannot resolve',
      change: (dir: string) =>
        edit(path.join(dir, 'shared/src/card/format.ts'), (t) => `import type { Timestamp } from '../types';\n${t}`),
      problem: "shared/src/card/format.ts imports '../types'",
    },
    {
      name: 'a BACKEND_URL with a path',
      change: (dir: string) =>
        edit(path.join(dir, 'hubspot-project/hsprofile.production.json'), (t) => t.replace('example.com"', 'example.com/api"')),
      problem: 'must be an origin',
    },
  ])('detects $name, and a re-sync fixes what it can', ({ change, problem }) => {
    const dir = scratch();
    expect(checkCardShared(dir)).toEqual([]);
    change(dir);
    expect(checkCardShared(dir).join('\n')).toContain(problem);
    if (!problem.includes('import') && !problem.includes('origin')) {
      writeCardShared(dir);
      expect(checkCardShared(dir)).toEqual([]);
    }
  });

  it('writes the origin of the chosen profile and remembers the profile', () => {
    const dir = scratch();
    writeCardShared(dir, 'local');
    expect(generatedProfile(dir)).toBe('local');
    expect(readFileSync(path.join(dir, GENERATED_DIR, ORIGIN_FILE), 'utf8')).toContain("BACKEND_ORIGIN = 'http://127.0.0.1:3000'");
    expect(checkCardShared(dir)).toEqual([]);
    expect(checkCardShared(dir, 'production')).toEqual([`${GENERATED_DIR}/${ORIGIN_FILE} is out of date; run \`npm run sync-card-shared --workspace tools/hubspot-validate\``]);
  });
});
