// Workflow callback completion (SDK CallbacksApi) and account details (plain apiRequest; works with private app
// tokens too, which is how a pasted Private App token is validated and its portal learned).
import { HubSpotApiError } from './api-error';
import { requestJson, requestJsonBody, segment } from './api-request';
import type { AccountDetails, PortalId, PrivateAppTokenCheck } from './gateway-types';
import type { PortalCall, TokenCall } from './portal-call';

export function createAutomationOperations(call: PortalCall) {
  return {
    /**
     * Completes a BLOCKed custom workflow action (docs/hubspot-contract.md §3.3) → 204. Treated as idempotent: completing again cannot
     * change the outcome, though HubSpot may then answer an error for an already-completed callback.
     * The documented body requires `outputFields` and `typedOutputs`; the SDK's model (13.5.0) serializes only
     * `outputFields`, so the call goes through apiRequest. Our outputs are all strings or enumeration values, so
     * their typed form is the same value.
     * UNVERIFIED: the status HubSpot returns for an unknown/expired/completed callback (docs/hubspot-contract.md §3.3)
     */
    completeCallback: (portalId: PortalId, callbackId: string, outputFields: Record<string, string>) =>
      call(portalId, 'completeCallback', { idempotent: true }, async (client) => {
        await requestJson(client, {
          method: 'POST',
          path: `/automation/v4/actions/callbacks/${segment(callbackId)}/complete`,
          body: { outputFields, typedOutputs: { ...outputFields } },
        });
      }),
  };
}

export function createAccountOperations(callWithToken: TokenCall) {
  // UNVERIFIED: GET /account-info/v3/details needs no particular scope (not in the reference; brief)
  const getAccountDetails = (token: string) =>
    callWithToken(token, 'getAccountDetails', { idempotent: true }, async (client) => {
      const details = await requestJsonBody<AccountDetails>(client, { method: 'GET', path: '/account-info/v3/details' });
      if (typeof details.portalId !== 'number') throw new Error('account details without portalId');
      return details;
    });

  return {
    getAccountDetails,
    /**
     * The owner record of a HubSpot user, read with a token not yet saved (the legacy form's Default User ID is
     * checked before anything is stored). Null when the portal has no such active user.
     */
    async findUserWithToken(token: string, userId: number): Promise<{ userId: number; name: string | null; email: string | null } | null> {
      try {
        const owner = await callWithToken(token.trim(), 'getOwnerByUserId', { idempotent: true }, (client) =>
          client.crm.owners.ownersApi.getById(userId, 'userId'));
        const name = [owner.firstName, owner.lastName].filter(Boolean).join(' ') || null;
        return { userId, name, email: owner.email ?? null };
      } catch (error) {
        if (error instanceof HubSpotApiError && error.kind === 'not_found') return null;
        throw error;
      }
    },
    /** Valid → the token's portal. Rejected → a reason. Transient failures still throw (the token may be fine). */
    async checkPrivateAppToken(token: string): Promise<PrivateAppTokenCheck> {
      try {
        const account = await getAccountDetails(token.trim());
        return { valid: true, portalId: account.portalId, account };
      } catch (error) {
        if (error instanceof HubSpotApiError && (error.kind === 'unauthorized' || error.kind === 'forbidden_scope')) {
          return { valid: false, reason: error.kind };
        }
        throw error;
      }
    },
  };
}
