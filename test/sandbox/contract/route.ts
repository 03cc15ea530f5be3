// Registers a sandbox API route from its row in the contract table, behind a guard that holds the caller to
// HubSpot's published contract: the token's scopes, the documented query parameters and their values. HubSpot
// itself silently ignores a parameter it does not know, which is how a wrong call hides; the sandbox refuses it
// and says that it is being strict. Every refusal is also recorded in `state.contractViolations`, which the test
// suite audits after each file (test/support/contract-audit.ts), so a server call outside the contract fails a
// test even where the server would swallow the error.
import type { Context, Handler, Hono, MiddlewareHandler } from 'hono';
import type { AuthInfo } from '../api-guard';
import { countApiCall } from '../api-calls';
import type { SandboxContext } from '../context';
import { hsError } from '../hs-errors';
import type { ContractViolation } from '../runtime-types';
import { pushCapped } from '../state';
import { contractOperation, type ContractOperation, type OperationId } from './operations';

export type ContractEnv = { Variables: { auth: AuthInfo; operation: ContractOperation } };

export function recordViolation(ctx: SandboxContext, c: Context, kind: ContractViolation['kind'], detail: string): void {
  pushCapped(ctx.state.contractViolations, { at: ctx.now(), method: c.req.method, path: c.req.path, kind, detail });
  ctx.log(`contract violation (${kind}) on ${c.req.method} ${c.req.path}: ${detail}`);
}

const valuesOf = (raw: string[], list: boolean | undefined): string[] =>
  list ? raw.flatMap((v) => v.split(',')).map((v) => v.trim()).filter(Boolean) : raw;

function queryProblem(op: ContractOperation, c: Context): { kind: ContractViolation['kind']; detail: string } | undefined {
  for (const [name, raw] of Object.entries(c.req.queries())) {
    const param = op.query[name];
    if (!param) {
      const documented = Object.keys(op.query);
      return {
        kind: 'undocumented_parameter',
        detail: `HubSpot does not document the query parameter "${name}" for ${op.method} ${op.path} (it would ignore it silently). `
          + `Documented: ${documented.length > 0 ? documented.join(', ') : 'none'}.`,
      };
    }
    if (param.values) {
      const bad = valuesOf(raw, param.list).filter((v) => !param.values!.includes(v));
      if (bad.length > 0) {
        return {
          kind: 'undocumented_value',
          detail: `"${bad.join(', ')}" is not a documented value of "${name}" for ${op.method} ${op.path} (documented: ${param.values.join(', ')}).`,
        };
      }
    }
  }
  return undefined;
}

/** The scopes that grant this call to this kind of token (`[]`: none needed). */
function grantingScopes(op: ContractOperation, auth: AuthInfo): readonly string[] {
  // UNVERIFIED: HubSpot's reference lists only the OAuth scope `oauth` for account details, which a Private App
  // cannot hold; Private App tokens are documented to read their own account, so none is required of them.
  if (op.id === 'accountInfo.details' && auth.kind === 'private-app') return [];
  return op.scopes;
}

export function contractGuard(ctx: SandboxContext, op: ContractOperation): MiddlewareHandler<ContractEnv> {
  return async (c, next) => {
    c.set('operation', op);
    countApiCall(ctx.state, op.auth === 'bearer' ? c.get('auth') : undefined, op.id);
    const problem = queryProblem(op, c);
    if (problem) {
      recordViolation(ctx, c, problem.kind, problem.detail);
      return hsError(c, 400, 'VALIDATION_ERROR', `Sandbox strict mode: ${problem.detail}`);
    }
    if (op.auth === 'bearer') {
      const auth = c.get('auth');
      const scopes = grantingScopes(op, auth);
      if (scopes.length > 0 && !scopes.some((s) => auth.scopes.includes(s))) {
        recordViolation(ctx, c, 'missing_scope', `needs one of ${scopes.join(', ')}; the token has ${auth.scopes.join(', ') || 'none'}`);
        // ASSUMPTION (UNVERIFIED): message text and errors[].context.requiredGranularScopes. source: docs/hubspot-contract.md §6
        return hsError(c, 403, 'MISSING_SCOPES',
          "This app hasn't been granted all required scopes to make this call. Read more about required scopes here: https://developers.hubspot.com/scopes.",
          {
            errors: [{ message: 'One or more of the following scopes are required.', context: { requiredGranularScopes: [...scopes] } }],
            links: { scopes: 'https://developers.hubspot.com/scopes' },
          });
      }
    }
    return next();
  };
}

/** A query parameter as the handler should see it: the caller's value, or the documented default. */
export function documentedQuery(c: Context<ContractEnv>, name: string): string | undefined {
  const op = c.get('operation');
  return c.req.query(name) ?? op.query[name]?.default;
}

/** Registers `handler` for the operation's method and path, behind the contract guard. */
export function serve<E extends ContractEnv>(r: Hono<E>, ctx: SandboxContext, id: OperationId, handler: Handler<E>): void {
  const op = contractOperation(id);
  r.on(op.method, op.path, contractGuard(ctx, op) as unknown as MiddlewareHandler<E>, handler);
}

/** A path parameter of the route being served (always present: the router matched the operation's path). */
export function pathParam(c: Context, name: string): string {
  const value = c.req.param(name);
  if (value === undefined) throw new Error(`route has no path parameter "${name}"`);
  return value;
}
