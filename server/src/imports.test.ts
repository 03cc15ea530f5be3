import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// The shape of the import graph, checked like no-process-env.test.ts checks env access: production code has no
// import cycles, events go one way (README.md, Architecture), and production never reaches the test support
// (server/testing/) or the test workspace (test/).

const SRC = fileURLToPath(new URL('.', import.meta.url));
const SERVER = resolve(SRC, '..');
const REPO = resolve(SERVER, '..');
/**
 * deps.ts is the record of everything a route or worker may use, so it names (as types) what createServices
 * builds, and every module names its dependencies through it: edges into it are not part of the graph.
 */
const TYPE_HUB = join(SRC, 'deps.ts');

const isTest = (path: string) => /\.test\.tsx?$/.test(path);

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return /\.tsx?$/.test(entry.name) ? [path] : [];
  });
}

const SPECIFIER = /(?:^|\n)\s*(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g;

/** Relative imports of a file, resolved to files (with the extension the import leaves out). */
function importsOf(file: string): string[] {
  const source = readFileSync(file, 'utf8');
  return [...source.matchAll(SPECIFIER)]
    .map((match) => match[1] ?? match[2]!)
    .filter((spec) => spec.startsWith('.'))
    .map((spec) => {
      const base = resolve(dirname(file), spec);
      return [base, `${base}.ts`, `${base}.tsx`, join(base, 'index.ts')].find((candidate) => existsSync(candidate) && statSync(candidate).isFile()) ?? base;
    });
}

const production = sourceFiles(SRC).filter((path) => !isTest(path));

/** Strongly connected components with more than one file (Tarjan). */
function cyclesOf(graph: Map<string, string[]>): string[][] {
  let index = 0;
  const indexOf = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const cycles: string[][] = [];
  const visit = (node: string) => {
    indexOf.set(node, index);
    low.set(node, index++);
    stack.push(node);
    onStack.add(node);
    for (const next of graph.get(node) ?? []) {
      if (!indexOf.has(next)) {
        visit(next);
        low.set(node, Math.min(low.get(node)!, low.get(next)!));
      } else if (onStack.has(next)) low.set(node, Math.min(low.get(node)!, indexOf.get(next)!));
    }
    if (low.get(node) === indexOf.get(node)) {
      const component: string[] = [];
      let member: string;
      do {
        member = stack.pop()!;
        onStack.delete(member);
        component.push(member);
      } while (member !== node);
      if (component.length > 1 || graph.get(node)?.includes(node)) cycles.push(component.map((path) => relative(SRC, path)).sort());
    }
  };
  for (const node of graph.keys()) if (!indexOf.has(node)) visit(node);
  return cycles;
}

describe('the import graph of server/src', () => {
  it('has no cycles (type-only imports included)', () => {
    const graph = new Map(production.map((file) => [file, importsOf(file).filter((target) => target !== TYPE_HUB && production.includes(target))]));
    expect(cyclesOf(graph)).toEqual([]);
  });

  it('sends events one way: effects/ never reaches back into inbox/; work/ and sync/ serve both and import neither', () => {
    const forbidden: Record<string, readonly string[]> = {
      'effects/': ['inbox/'],
      'work/': ['inbox/', 'effects/', 'actions/'],
      'sync/': ['inbox/', 'effects/', 'actions/'],
    };
    const offenders = production.flatMap((file) => {
      const from = relative(SRC, file);
      const rules = Object.entries(forbidden).find(([folder]) => from.startsWith(folder))?.[1] ?? [];
      return importsOf(file)
        .map((target) => relative(SRC, target))
        .filter((to) => rules.some((folder) => to.startsWith(folder)))
        .map((to) => `${from} → ${to}`);
    });
    expect(offenders).toEqual([]);
  });

  it('keeps test support out of production code: nothing outside tests imports server/testing/ or test/', () => {
    const testSupport = [join(SERVER, 'testing'), join(REPO, 'test')];
    const offenders = production.flatMap((file) =>
      importsOf(file)
        .filter((target) => testSupport.some((dir) => target.startsWith(`${dir}/`)))
        .map((target) => `${relative(SRC, file)} → ${relative(REPO, target)}`),
    );
    expect(offenders).toEqual([]);
  });

  it('has no file that only tests import (test support belongs in server/testing/, dead code nowhere)', () => {
    const importedByProduction = new Set(production.flatMap(importsOf));
    const entryPoints = new Set(['index.ts', 'main.ts'].map((name) => join(SRC, name)));
    const testOnly = production.filter((file) => !importedByProduction.has(file) && !entryPoints.has(file));
    // Modules that the test workspace, scripts or bench import directly (package subpaths) are entry points too.
    const external = new Set(
      ['test', 'scripts', 'bench'].flatMap((dir) => sourceFiles(join(REPO, dir)).filter((f) => !f.includes('/node_modules/'))).flatMap((file) =>
        [...readFileSync(file, 'utf8').matchAll(/['"]@opencx\/server\/([^'"]+)['"]/g)].map((m) => join(SRC, `${m[1]}.ts`)),
      ),
    );
    expect(testOnly.filter((file) => !external.has(file)).map((file) => relative(SRC, file))).toEqual([]);
  });
});
