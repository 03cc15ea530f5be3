import { afterAll, beforeAll, beforeEach } from 'vitest';
import { createOpenCxSandbox, type OpenCxSandbox, type OpenCxSandboxOptions } from '../opencx-sandbox/index';

export interface ListeningOpenCx {
  readonly opencx: OpenCxSandbox;
  /** The stand-in's base URL: OPENCX_API_BASE_URL for the code under test. */
  readonly url: string;
}

/**
 * One OpenCX API stand-in on a loopback port for a whole test file, reset before each test (like
 * useListeningSandbox for HubSpot). Call at the top level of a test file; read `.opencx` and `.url` in tests.
 */
export function useListeningOpenCx(options?: OpenCxSandboxOptions): ListeningOpenCx {
  const opencx = createOpenCxSandbox(options);
  let listening: { url: string; close(): Promise<void> } | undefined;
  beforeAll(async () => {
    listening = await opencx.listen(0);
  });
  afterAll(() => listening?.close());
  beforeEach(() => opencx.reset());
  return {
    opencx,
    get url() {
      if (!listening) throw new Error('the OpenCX stand-in starts in beforeAll');
      return listening.url;
    },
  };
}
