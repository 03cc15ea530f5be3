// The sandbox's own file beside the server's data, so that `npm start` after Ctrl-C finds the same app credentials,
// installs, tokens, tickets, threads and id counters. Without it a restarted sandbox handed out thread ids that
// sessions in the server's database still held as paused or handed off, and every new conversation went unanswered.
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { SandboxState } from './runtime-types';

/** What survives a restart: the records HubSpot keeps. Logs of requests and contract violations do not. */
export const PERSISTED_KEYS = [
  'portals', 'authCodes', 'accessTokens', 'refreshTokens', 'privateAppTokens', 'counters', 'rateLimit',
  'webhookEvents', 'webhookDeliveries', 'actionExecutions', 'cardFetches', 'appTokens', 'journal',
] as const satisfies readonly (keyof SandboxState)[];

export interface PersistedSandbox {
  version: 1;
  app: { appId: number; clientId: string; clientSecret: string };
  webhookTargetOverride?: string;
  state: Pick<SandboxState, (typeof PERSISTED_KEYS)[number]>;
}

export type LoadResult = { kind: 'missing' } | { kind: 'loaded'; saved: PersistedSandbox } | { kind: 'unreadable'; reason: string; movedTo: string };

/** Reads the file; an unreadable one is moved aside (kept for a post-mortem) so the next save cannot hide it. */
export function loadStateFile(path: string, now: number): LoadResult {
  if (!existsSync(path)) return { kind: 'missing' };
  try {
    const saved = JSON.parse(readFileSync(path, 'utf8')) as PersistedSandbox;
    if (saved.version !== 1 || !saved.app?.clientId || typeof saved.state?.portals !== 'object') throw new Error('not a sandbox state file (version 1)');
    return { kind: 'loaded', saved };
  } catch (err) {
    const movedTo = `${path}.unreadable-${now}`;
    renameSync(path, movedTo);
    return { kind: 'unreadable', reason: (err as Error).message, movedTo };
  }
}

export function snapshotOf(state: SandboxState, app: PersistedSandbox['app']): PersistedSandbox {
  const picked = Object.fromEntries(PERSISTED_KEYS.map((k) => [k, state[k]])) as PersistedSandbox['state'];
  return { version: 1, app, webhookTargetOverride: state.webhook.targetOverride, state: picked };
}

/** Write to a temporary file then rename: a crash mid-write leaves the previous file whole. */
export function writeStateFile(path: string, snapshot: PersistedSandbox): void {
  mkdirSync(dirname(path), { recursive: true });
  const temporary = `${path}.${process.pid}.tmp`;
  writeFileSync(temporary, JSON.stringify(snapshot), { mode: 0o600 });
  renameSync(temporary, path);
}

/** Coalesces bursts of changes (a webhook batch touches many records) into one write after `delayMs`. */
export class DebouncedSaver {
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly save: () => void,
    private readonly delayMs = 150,
  ) {}

  schedule(): void {
    if (this.timer) return;
    this.timer = setTimeout(() => this.flush(), this.delayMs);
    // A pending save must not keep a finished process alive; close() flushes it.
    this.timer.unref();
  }

  flush(): void {
    if (!this.timer) return;
    clearTimeout(this.timer);
    this.timer = undefined;
    this.save();
  }
}
