// Vitest global setup: one throwaway PostgreSQL cluster for the whole run; test files get their own database in
// it (server/src/testing/postgres.ts). Started before any test file, stopped after the last.
import type { TestProject } from 'vitest/node';
import { startPostgresCluster } from './postgres-cluster';

// Declares the provided `postgresUrl` (vitest's ProvidedContext) for both sides.
import type {} from '@opencx/server/testing/postgres';

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const cluster = await startPostgresCluster({ fast: true });
  project.provide('postgresUrl', cluster.adminUrl);
  project.provide('postgresDataDir', cluster.dataDir);
  return () => cluster.stop();
}
