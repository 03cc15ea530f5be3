/** @jsxRuntime automatic @jsxImportSource hono/jsx */
import type { Hono } from 'hono';
import type { AdminEnv } from '../admin/admin-session';
import { requireAdmin, requireAdminForm } from '../admin/guards';
import type { AppDeps } from '../deps';
import { readForm } from '../http/parse-body';
import { listDeadLetters, parseSelection, settleDeadLetters } from '../operate/dead-letters';
import { DEAD_LETTERS_PATH, DeadLettersPage } from '../views/dead-letters-page';
import { sendPage } from '../views/render';

const SUB_PATH = DEAD_LETTERS_PATH.slice('/settings'.length);

/** Failed work of the signed-in admin's organization: the list, and retry or discard (one, or all). */
export function addDeadLetterRoutes(routes: Hono<AdminEnv>, deps: AppDeps): void {
  routes.get(SUB_PATH, requireAdmin(), async (c) => {
    const context = c.var.adminContext!;
    const done = /^(retried|discarded)-(\d{1,6})$/.exec(c.req.query('done') ?? '');
    return sendPage(
      c,
      <DeadLettersPage
        adminEmail={context.admin.email}
        organizationName={context.organization.name}
        csrfToken={context.csrfToken}
        deadLetters={await listDeadLetters(deps, context.organization.id)}
        notice={done ? `${done[2]} ${done[1]}.` : null}
      />,
    );
  });
  for (const action of ['retry', 'discard'] as const) {
    routes.post(`${SUB_PATH}/${action}`, requireAdminForm(deps), async (c) => {
      const form = await readForm(c.req);
      const which = parseSelection(typeof form['which'] === 'string' ? form['which'] : '');
      const count = await settleDeadLetters(deps, c.var.adminContext!.organization.id, action, which);
      c.var.logger.info({ action, which, count, organizationId: c.var.adminContext!.organization.id }, 'dead letters settled by an admin');
      return c.redirect(`${DEAD_LETTERS_PATH}?done=${action === 'retry' ? 'retried' : 'discarded'}-${count}`, 303);
    });
  }
}
