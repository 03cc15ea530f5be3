import { afterAll, beforeAll, beforeEach } from 'vitest';
import { createSandbox, type Sandbox, type SandboxOptions } from '../sandbox/index';

export interface ListeningSandbox {
  readonly sandbox: Sandbox;
  /** The sandbox's base URL: HUBSPOT_API_BASE_URL for the code under test. */
  readonly url: string;
}

/**
 * One sandbox on a loopback port for a whole test file, reset before each test so that tests stay independent.
 * Call at the top level of a test file; read `.sandbox` and `.url` inside tests and hooks.
 */
export function useListeningSandbox(options?: SandboxOptions): ListeningSandbox {
  let sandbox: Sandbox | undefined;
  let listening: { url: string; close(): Promise<void> } | undefined;
  beforeAll(async () => {
    sandbox = createSandbox(options);
    listening = await sandbox.listen(0);
  });
  afterAll(async () => {
    await listening?.close();
    await sandbox?.close();
  });
  beforeEach(() => sandbox?.control.reset());
  return {
    get sandbox() {
      if (!sandbox) throw new Error('the sandbox starts in beforeAll');
      return sandbox;
    },
    get url() {
      if (!listening) throw new Error('the sandbox starts in beforeAll');
      return listening.url;
    },
  };
}
