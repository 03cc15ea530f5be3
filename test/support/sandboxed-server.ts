// For a whole test file: the HubSpot sandbox on a loopback port, a temporary data folder, and the environment of a
// server on it (serverProcessEnv); optionally that server, as its own process. Call at the top level of a test
// file; read the fields inside tests. Stopped and removed after the file.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { createSandbox, type Sandbox } from '../sandbox/index';
import { newEncryptionKey, serverProcessEnv, startServerProcess, type ServerProcess, type ServerProcessOptions } from './server-process';

export interface SandboxedServer {
  readonly sandbox: Sandbox;
  readonly databasePath: string;
  /** The server's environment: the sandbox as HubSpot, the data folder, a fresh key. */
  readonly env: Record<string, string>;
  /** The server process, when one was asked for. */
  readonly server: ServerProcess;
}

export interface SandboxedServerOptions {
  logLevel?: string;
  /** Start the server as a process on that environment, with these options (none: the test starts what it needs). */
  process?: Omit<ServerProcessOptions, 'env'>;
}

export function useSandboxedServer(options: SandboxedServerOptions = {}): SandboxedServer {
  let sandbox: Sandbox | undefined;
  let closeSandbox: (() => Promise<void>) | undefined;
  let dir: string | undefined;
  let env: Record<string, string> | undefined;
  let server: ServerProcess | undefined;
  beforeAll(async () => {
    sandbox = createSandbox();
    const listening = await sandbox.listen(0);
    closeSandbox = listening.close;
    dir = mkdtempSync(join(tmpdir(), 'opencx-sandboxed-'));
    env = serverProcessEnv({
      databasePath: join(dir, 'opencx.sqlite'),
      sandboxUrl: listening.url,
      app: sandbox.appCredentials,
      tokenEncryptionKey: newEncryptionKey(),
      ...(options.logLevel ? { logLevel: options.logLevel } : {}),
    });
    if (options.process) server = await startServerProcess({ ...options.process, env });
  }, 60_000);
  afterAll(async () => {
    await server?.kill9();
    await closeSandbox?.();
    await sandbox?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });
  const started = <T>(value: T | undefined, what: string): T => {
    if (value === undefined) throw new Error(`${what} is set up in beforeAll`);
    return value;
  };
  return {
    get sandbox() {
      return started(sandbox, 'the sandbox');
    },
    get databasePath() {
      return started(env, 'the environment')['DATABASE_PATH']!;
    },
    get env() {
      return started(env, 'the environment');
    },
    get server() {
      return started(server, 'the server process (options.process)');
    },
  };
}
