import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

// One throwaway PostgreSQL cluster per project that runs store or multi-instance tests against it.
const postgres = fileURLToPath(new URL('./test/support/postgres-global-setup.ts', import.meta.url));

// One project per workspace, so each keeps its own tsconfig (JSX flavour) and environment.
export default defineConfig({
  test: {
    projects: [
      { extends: true, test: { name: 'shared', root: './shared', include: ['src/**/*.test.ts'] } },
      { extends: true, test: { name: 'server', root: './server', include: ['src/**/*.test.{ts,tsx}'], setupFiles: ['../test/support/contract-audit.ts'], globalSetup: [postgres] } },
      { extends: true, test: { name: 'test', root: './test', include: ['**/*.test.{ts,tsx}'], exclude: ['**/node_modules/**'], setupFiles: ['./support/contract-audit.ts'], globalSetup: [postgres] } },
      { extends: true, test: { name: 'cards', root: './hubspot-project/app/cards', include: ['**/*.test.{ts,tsx}'], exclude: ['**/node_modules/**'] } },
      { extends: true, test: { name: 'hubspot-validate', root: './tools/hubspot-validate', include: ['**/*.test.{ts,mjs}'], exclude: ['**/node_modules/**', 'fixtures/**'] } },
    ],
    environment: 'node',
    testTimeout: 20_000,
    hookTimeout: 30_000,
  },
});
