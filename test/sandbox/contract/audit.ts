// The suite-wide audit of HubSpot contract violations. Every sandbox a test process creates registers its state
// here, and test/support/contract-audit.ts (a vitest setup file) fails the test file after which any registered
// sandbox holds a violation the test did not take. A process-wide set is deliberate: the audit must see every
// sandbox, whichever fixture created it, without each of them having to remember to check.
import type { ContractViolation, SandboxState } from '../runtime-types';

interface Audited {
  readonly state: SandboxState;
}

const audited = new Set<Audited>();

export function auditContract(sandbox: Audited): void {
  audited.add(sandbox);
}

/** Removes and returns the violations a test provoked on purpose (so that the audit does not fail on them). */
export function takeContractViolations(sandbox: Audited): ContractViolation[] {
  return sandbox.state.contractViolations.splice(0);
}

/** Every violation not taken since the last call, and forgets the sandboxes seen so far. */
export function drainContractAudit(): ContractViolation[] {
  const found = [...audited].flatMap((s) => s.state.contractViolations.splice(0));
  audited.clear();
  return found;
}
