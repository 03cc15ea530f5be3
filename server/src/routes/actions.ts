import { Hono } from 'hono';
import type { AppDeps, AppEnv } from '../deps';
import { notImplemented } from './not-implemented';

/** The workflow actions' URL slugs (each action's actionUrl ends with one). */
export const WORKFLOW_ACTION_SLUGS = ['pause-ai', 'resume-ai', 'send-to-ai', 'request-handoff'] as const;
export type WorkflowActionSlug = (typeof WORKFLOW_ACTION_SLUGS)[number];

/**
 * Mounted at /hubspot/actions. To come: verify, parse with the action's schema, dedupe by callbackId in
 * action_executions, then applyAiCommand and answer outputFields. Unknown slugs fall through to 404.
 */
export function actionRoutes(_deps: AppDeps) {
  const routes = new Hono<AppEnv>();
  for (const slug of WORKFLOW_ACTION_SLUGS) routes.post(`/${slug}`, notImplemented(`The ${slug} workflow action`));
  return routes;
}
