import type { Context } from 'hono';
import { html } from 'hono/html';
import type { HtmlEscapedString } from 'hono/utils/html';
import type { ContentfulStatusCode } from 'hono/utils/http-status';

type Page = HtmlEscapedString | Promise<HtmlEscapedString>;

/**
 * Sends a server-rendered page. Admin pages show connection details and carry CSRF tokens, so no cache (and no
 * proxy) may keep them.
 */
export function sendPage(c: Context, page: Page, status: ContentfulStatusCode = 200): Response | Promise<Response> {
  c.header('Cache-Control', 'no-store');
  return c.html(html`<!doctype html>${page}`, status);
}
