// Summarises a V8 .cpuprofile (node --cpu-prof) into markdown: where the time went by component, the functions
// with the most self time, and a text flame graph (the hottest call paths, inclusive time) — small enough to
// commit, unlike the profile itself (open that in Chrome DevTools or speedscope.app for the full picture).
import { readFileSync } from 'node:fs';
import { REPO_DIR } from './processes';

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
}
interface ProfileNode {
  id: number;
  callFrame: CallFrame;
  children?: number[];
}
interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

const COMPONENTS: Array<[RegExp, string]> = [
  [/@hono\/node-server/, '@hono/node-server (Node ↔ Web Request/Response)'],
  [/node_modules\/hono\//, 'hono (routing, middleware, context)'],
  [/better-sqlite3/, 'better-sqlite3 (JS side of SQLite calls)'],
  [/node_modules\/zod\//, 'zod (validation)'],
  [/node_modules\/pino/, 'pino (logging)'],
  [/\/server\/src\/store\//, 'server: store (SQL statements, row mapping)'],
  [/\/server\/src\/http\//, 'server: http (signature middleware, body parsing, errors)'],
  [/\/server\/src\/hubspot\//, 'server: hubspot (signatures, API gateway)'],
  [/\/server\/src\//, 'server: other'],
  [/\/shared\/src\//, 'shared (domain: parsing, decide)'],
  [/^node:internal\/deps\/undici|undici/, 'undici (outbound fetch to the sandbox)'],
  [/^node:(internal\/)?(http|_http|net|stream|streams|internal\/streams|dns|tls)/, 'node: http/net/streams'],
  [/^node:/, 'node: other internals'],
  [/node_modules/, 'other packages'],
];

function componentOf(frame: CallFrame): string {
  if (frame.url === '') {
    if (frame.functionName === '(garbage collector)') return 'V8: garbage collector';
    if (frame.functionName === '(idle)') return 'idle';
    if (frame.functionName === '(program)') return 'V8/native: (program) — includes SQLite C code, HMAC, syscalls';
    return `native: ${frame.functionName || '(anonymous)'}`;
  }
  for (const [pattern, name] of COMPONENTS) if (pattern.test(frame.url)) return name;
  return 'other';
}

const shortUrl = (url: string) =>
  url
    .replace(`file://${REPO_DIR}/`, '')
    .replace(/^.*node_modules\//, '')
    .replace(/\?.*$/, '');
const frameKey = (f: CallFrame) => `${f.functionName || '(anonymous)'} ${shortUrl(f.url)}${f.url ? `:${f.lineNumber + 1}` : ''}`;

interface Summary {
  totalMs: number;
  idleMs: number;
  byComponent: Map<string, number>;
  bySelf: Map<string, number>;
  tree: TreeNode;
}
interface TreeNode {
  key: string;
  ms: number;
  children: Map<string, TreeNode>;
}

/** `skipFirstMs`: leave out the process's start (module loading), which is not the load being profiled. */
export function summariseProfile(path: string, skipFirstMs = 0): Summary {
  const profile = JSON.parse(readFileSync(path, 'utf8')) as CpuProfile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);

  const summary: Summary = { totalMs: 0, idleMs: 0, byComponent: new Map(), bySelf: new Map(), tree: { key: 'all', ms: 0, children: new Map() } };
  const add = (map: Map<string, number>, key: string, ms: number) => map.set(key, (map.get(key) ?? 0) + ms);
  let elapsedMs = 0;
  profile.samples.forEach((id, i) => {
    const ms = (profile.timeDeltas[i + 1] ?? profile.timeDeltas[i] ?? 0) / 1000;
    elapsedMs += (profile.timeDeltas[i] ?? 0) / 1000;
    if (elapsedMs < skipFirstMs) return;
    const node = byId.get(id)!;
    summary.totalMs += ms;
    if (node.callFrame.functionName === '(idle)') {
      summary.idleMs += ms;
      return;
    }
    add(summary.byComponent, componentOf(node.callFrame), ms);
    add(summary.bySelf, `${frameKey(node.callFrame)} — ${componentOf(node.callFrame)}`, ms);
    // The stack root first, for the top-down tree.
    const stack: CallFrame[] = [];
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const frame = byId.get(at)!.callFrame;
      if (frame.functionName !== '(root)') stack.unshift(frame);
    }
    let level = summary.tree;
    level.ms += ms;
    for (const frame of stack) {
      const key = frameKey(frame);
      let next = level.children.get(key);
      if (!next) level.children.set(key, (next = { key, ms: 0, children: new Map() }));
      next.ms += ms;
      level = next;
    }
  });
  return summary;
}

export function profileMarkdown(title: string, path: string, context: string[], skipFirstMs = 0): string {
  const s = summariseProfile(path, skipFirstMs);
  const busy = s.totalMs - s.idleMs;
  const pct = (ms: number) => `${((ms / busy) * 100).toFixed(1)}%`;
  const lines = [
    `# CPU profile: ${title}`,
    '',
    ...context,
    '',
    `Server process, \`node --cpu-prof\`, main thread, from ${(skipFirstMs / 1000).toFixed(1)} s after start (its start ` +
      `excluded). Profiled ${(s.totalMs / 1000).toFixed(1)} s, of which busy ${(busy / 1000).toFixed(1)} s ` +
      `(idle ${((s.idleMs / s.totalMs) * 100).toFixed(0)}%). Percentages are of busy time. The .cpuprofile itself stays ` +
      'out of git (`bench/results/profiles/`, see bench/.gitignore); open it in Chrome DevTools or speedscope.app.',
    '',
    '## By component (self time)',
    '',
    '| component | self time | share |',
    '|---|---:|---:|',
    ...[...s.byComponent.entries()].sort((a, b) => b[1] - a[1]).map(([k, ms]) => `| ${k} | ${ms.toFixed(0)} ms | ${pct(ms)} |`),
    '',
    '## Top 25 functions by self time',
    '',
    '| function — component | self time | share |',
    '|---|---:|---:|',
    ...[...s.bySelf.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, 25)
      .map(([k, ms]) => `| \`${k.replace(/\|/g, '\\|')}\` | ${ms.toFixed(0)} ms | ${pct(ms)} |`),
    '',
    '## Hot paths (text flame graph: inclusive time, children ≥ 3% of busy time, depth ≤ 14)',
    '',
    '```',
    ...flame(s.tree, busy),
    '```',
    '',
  ];
  return lines.join('\n');
}

function flame(root: TreeNode, busy: number): string[] {
  const out: string[] = [];
  const walk = (node: TreeNode, depth: number) => {
    const children = [...node.children.values()].filter((c) => c.ms / busy >= 0.03).sort((a, b) => b.ms - a.ms);
    for (const child of children) {
      out.push(`${'  '.repeat(depth)}${((child.ms / busy) * 100).toFixed(1).padStart(5)}%  ${child.key}`);
      if (depth < 14) walk(child, depth + 1);
    }
  };
  walk(root, 0);
  return out;
}
