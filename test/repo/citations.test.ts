// Comments and docs cite only what a reader of this repository can open: no research notes kept outside it, and
// every `docs/hubspot-contract.md §N.M` names a section that exists there.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const tracked = execFileSync('git', ['ls-files', '-co', '--exclude-standard'], { cwd: ROOT, encoding: 'utf8' })
  .split('\n')
  .filter((f) => /\.(ts|tsx|mjs|js|md|json)$/.test(f) && !f.startsWith('bench/results/') && f !== 'package-lock.json');
const text = (file: string) => {
  try {
    return readFileSync(`${ROOT}${file}`, 'utf8');
  } catch {
    return ''; // listed but deleted in the working tree
  }
};

describe('citations', () => {
  it('never point at files outside the repository', () => {
    const outside = /hubspot-runtime\.md|shared\/reference|(?<!docs\/)hubspot-project\.md ?§|(?<![\w.])\/work\/|\.\.\/shared\//;
    const offenders = tracked
      .filter((f) => f !== 'test/repo/citations.test.ts' && f !== 'docs/hubspot-contract.md')
      .flatMap((f) => text(f).split('\n').map((line, i) => ({ f, i, line })))
      .filter(({ line }) => outside.test(line))
      .map(({ f, i, line }) => `${f}:${i + 1}: ${line.trim()}`);
    expect(offenders).toEqual([]);
  });

  it('name sections that docs/hubspot-contract.md has', () => {
    const headings = new Set([...text('docs/hubspot-contract.md').matchAll(/^#{2,3} (\d+(?:\.\d+)?)[. ]/gm)].map((m) => m[1]));
    const cited = tracked.flatMap((f) =>
      [...text(f).matchAll(/hubspot-contract\.md ?§ ?(\d+(?:\.\d+)?)/g)].map((m) => ({ f, section: m[1]! })));
    expect(cited.length).toBeGreaterThan(50);
    expect(cited.filter(({ section }) => !headings.has(section)).map(({ f, section }) => `${f}: §${section}`)).toEqual([]);
  });
});
