// Vitest setup file (server and test projects): after each test file, no sandbox may hold a request that
// HubSpot's published contract does not allow (test/sandbox/contract/). The sandbox already answers such a
// request with an error; this catches the ones the server swallowed (a 404 taken as "gone", a 400 retried).
import { afterAll } from 'vitest';
import { drainContractAudit } from '../sandbox/contract/audit';

afterAll(() => {
  const violations = drainContractAudit();
  if (violations.length === 0) return;
  const lines = violations.map((v) => `- ${v.kind}: ${v.method} ${v.path}: ${v.detail}`);
  throw new Error(`HubSpot contract violations in this test file (test/sandbox/contract/operations.ts):\n${lines.join('\n')}`);
});
