import { afterEach, beforeEach } from 'vitest';
import { createEngineTestDeps, type Engine, type EngineTestDeps } from './engine-deps';
import { seedSession } from './fixtures';

/**
 * Inside `describe.each(ENGINES)`: fresh engine deps with one organization and session (fixtures' seedSession)
 * before each test, cleaned up after. Read the deps through the returned function, inside tests.
 */
export function useSeededEngine(engine: Engine): () => EngineTestDeps {
  let deps: EngineTestDeps | undefined;
  beforeEach(async () => {
    deps = await createEngineTestDeps(engine);
    await seedSession(deps.store);
  });
  afterEach(() => deps?.cleanup());
  return () => {
    if (!deps) throw new Error('the engine deps are created in beforeEach');
    return deps;
  };
}
