// For the adapter's tests: the OpenCX API stand-in over HTTP, and for each test a real database (test deps whose
// OPENCX_API_BASE_URL is the stand-in) with one organization and session.
import type { ChatSession } from '@opencx/shared';
import { afterEach, beforeEach } from 'vitest';
import { useListeningOpenCx } from '../../test/support/listening-opencx';
import type { OpenCxSandbox } from '../../test/opencx-sandbox/index';
import { seedSession } from './fixtures';
import { createTestDeps, type TestDeps } from './test-deps';

export interface OpenCxTestKit {
  opencx: OpenCxSandbox;
  deps(): TestDeps;
  session(): ChatSession;
}

/** Call at the top level of a test file; `key` is accepted (full access) by the stand-in. */
export function useOpenCxTestKit(key: string, session: Partial<ChatSession> = {}): OpenCxTestKit {
  const standIn = useListeningOpenCx({ keys: { [key]: 'full' } });
  let current: { deps: TestDeps; session: ChatSession } | undefined;
  beforeEach(async () => {
    const deps = createTestDeps({ env: { OPENCX_API_BASE_URL: standIn.url } });
    current = { deps, session: (await seedSession(deps.store, { session })).session };
  });
  afterEach(() => current?.deps.cleanup());
  const now = () => {
    if (!current) throw new Error('the test deps are created in beforeEach');
    return current;
  };
  return { opencx: standIn.opencx, deps: () => now().deps, session: () => now().session };
}
