/** @jsxRuntime automatic @jsxImportSource hono/jsx */
import type { Hono } from 'hono';
import type { AdminEnv } from '../admin/admin-session';
import { requireAdmin } from '../admin/guards';
import type { AppDeps } from '../deps';
import { AppError } from '../errors';
import { conversationTimeline, listConversations } from '../operate/activity';
import { ACTIVITY_PATH, ActivityListPage, ConversationTimelinePage } from '../views/activity-page';
import { sendPage } from '../views/render';

const SUB_PATH = ACTIVITY_PATH.slice('/settings'.length);
const MAX_PAGE = 10_000;

/** The activity view of the signed-in admin's organization: its conversations, and one conversation's timeline. */
export function addActivityRoutes(routes: Hono<AdminEnv>, deps: AppDeps): void {
  routes.get(SUB_PATH, requireAdmin(), async (c) => {
    const context = c.var.adminContext!;
    const asked = Number(c.req.query('page') ?? '1');
    const page = Number.isInteger(asked) && asked >= 1 && asked <= MAX_PAGE ? asked : 1;
    const list = await listConversations(deps, context.organization.id, page);
    return sendPage(c, <ActivityListPage adminEmail={context.admin.email} organizationName={context.organization.name} csrfToken={context.csrfToken} list={list} />);
  });
  routes.get(`${SUB_PATH}/:sessionId`, requireAdmin(), async (c) => {
    const context = c.var.adminContext!;
    // Another organization's session answers exactly as one that does not exist.
    const timeline = await conversationTimeline(deps, context.organization.id, c.req.param('sessionId'));
    if (!timeline) throw new AppError('not_found', 'No such conversation');
    return sendPage(
      c,
      <ConversationTimelinePage adminEmail={context.admin.email} organizationName={context.organization.name} csrfToken={context.csrfToken} timeline={timeline} />,
    );
  });
}
