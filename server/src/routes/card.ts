import { CARD_STATUS_PATH, cardCommandSchema } from '@opencx/shared';
import { Hono, type Context } from 'hono';
import { applyCardCommand } from '../card/card-command';
import { readCardIdentity } from '../card/card-identity';
import { readCardStatus } from '../card/card-status';
import type { AppDeps } from '../deps';
import { parseJsonBody } from '../http/parse-body';
import { verifyHubSpotRequest, type VerifiedEnv } from '../http/verify-hubspot';

/**
 * The CRM card's API (shared/src/card/contract.ts). Only HubSpot's proxy can call it: v3 signature over the
 * final URL, whose query names the portal, the user and the ticket. GET reads the store only; POST applies a
 * CardCommand as the agent. A busy database is "try again" (503, through app.onError), which HubSpot's proxy
 * retries once, not an internal error.
 */
export function cardRoutes(deps: AppDeps) {
  const verified = verifyHubSpotRequest(deps, { allowV2Fallback: false });
  const identityOf = (c: Context<VerifiedEnv>) => readCardIdentity((name) => c.req.queries(name));
  return new Hono<VerifiedEnv>()
    .get(CARD_STATUS_PATH, verified, async (c) => {
      const { portalId, ticketId } = identityOf(c);
      const { status } = await readCardStatus(deps.store, portalId, ticketId);
      c.header('Cache-Control', 'no-store');
      return c.json(status);
    })
    .post(CARD_STATUS_PATH, verified, async (c) => {
      const identity = identityOf(c);
      const command = parseJsonBody(c.var.rawBody, cardCommandSchema);
      return c.json(await applyCardCommand(deps, identity, command));
    });
}

