import { CARD_STATUS_PATH } from '@opencx/shared';
import { Hono } from 'hono';
import type { AppDeps, AppEnv } from '../deps';
import { notImplemented } from './not-implemented';

/**
 * The CRM card's API, at the path the shared contract names. To come: verify the v3 signature (portal and
 * user come from the signed URL), then GET answers the CardStatus and POST applies a CardCommand through
 * applyAiCommand with the agent as actor.
 */
export function cardRoutes(_deps: AppDeps) {
  return new Hono<AppEnv>()
    .get(CARD_STATUS_PATH, notImplemented('The AI status card'))
    .post(CARD_STATUS_PATH, notImplemented('The AI status card'));
}
