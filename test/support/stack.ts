import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '@opencx/server/config';
import { startServer, type RunningServer, type StartOptions } from '@opencx/server/start-server';
import { createSandbox, type Sandbox, type SandboxOptions } from '../sandbox/index';
import { freePort } from './free-port';
import { newEncryptionKey, serverProcessEnv } from './server-process';

/**
 * The real server on a real SQLite file, talking to the HubSpot sandbox over loopback: the setting of every
 * end-to-end test. The sandbox delivers webhooks and action calls to the server's URL through the project's
 * hsmeta files (`${BACKEND_URL}`), exactly as HubSpot would after an upload.
 */
export interface Stack {
  sandbox: Sandbox;
  sandboxUrl: string;
  server: RunningServer;
  serverUrl: string;
  dir: string;
  /** Stops the server (workers included), then the sandbox, and deletes the temporary folder. */
  close(): Promise<void>;
}

export interface StackOptions {
  sandbox?: SandboxOptions;
  env?: Record<string, string>;
  start?: StartOptions;
  /** Reuse a data folder (to restart a server on the same database); default a new temporary folder. */
  dir?: string;
  keepDir?: boolean;
}

export { freePort };

export async function startStack(options: StackOptions = {}): Promise<Stack> {
  const dir = options.dir ?? mkdtempSync(join(tmpdir(), 'opencx-e2e-'));
  const port = await freePort();
  const serverUrl = `http://127.0.0.1:${port}`;
  const sandbox = createSandbox({
    profileVariables: { BACKEND_URL: serverUrl },
    webhook: { batchWindowMs: 20, retryDelaysMs: [50, 100, 200, 400], ...options.sandbox?.webhook },
    ...options.sandbox,
  });
  const listening = await sandbox.listen(0);
  const config = loadConfig({
    PORT: String(port),
    ...serverProcessEnv({
      databasePath: join(dir, 'opencx.sqlite'),
      sandboxUrl: listening.url,
      app: sandbox.appCredentials,
      tokenEncryptionKey: keyFor(dir),
      logLevel: 'silent',
    }),
    ...options.env,
  });
  const server = await startServer(config, options.start);
  return {
    sandbox,
    sandboxUrl: listening.url,
    server,
    serverUrl,
    dir,
    async close() {
      await server.close();
      await listening.close();
      await sandbox.close();
      if (!options.keepDir && !options.dir) rmSync(dir, { recursive: true, force: true });
    },
  };
}

// One key per data folder, so that a restarted server on the same folder can read its tokens.
const keys = new Map<string, string>();
function keyFor(dir: string): string {
  let key = keys.get(dir);
  if (!key) keys.set(dir, (key = newEncryptionKey()));
  return key;
}
