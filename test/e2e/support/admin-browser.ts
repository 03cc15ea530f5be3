// A small browser for end-to-end tests of the admin pages: fetch with a cookie jar, redirects followed by hand
// (so each hop can be inspected), and the forms of a page read from its HTML.

export interface Page {
  url: string;
  status: number;
  html: string;
  /** Every hop's status and URL, from the first request to this page. */
  hops: { status: number; url: string }[];
}

export class AdminBrowser {
  /** hostname → name → value. Cookies are not port-specific (RFC 6265), as in a real browser. */
  readonly cookies = new Map<string, Map<string, string>>();
  /** Set-Cookie headers seen, for attribute checks. */
  readonly setCookieHeaders: string[] = [];

  async request(url: string, init: { method?: string; form?: Record<string, string> } = {}): Promise<Response> {
    const target = new URL(url);
    const headers: Record<string, string> = {};
    const jar = this.cookies.get(target.hostname);
    if (jar && jar.size > 0) headers['cookie'] = [...jar].map(([k, v]) => `${k}=${v}`).join('; ');
    let body: string | undefined;
    if (init.form) {
      headers['content-type'] = 'application/x-www-form-urlencoded';
      headers['origin'] = target.origin;
      body = new URLSearchParams(init.form).toString();
    }
    const res = await fetch(target, { method: init.method ?? (init.form ? 'POST' : 'GET'), headers, body, redirect: 'manual' });
    this.store(target.hostname, res.headers.getSetCookie());
    return res;
  }

  /** Requests `url`, then follows redirects (303/302 → GET) until a page answers. */
  async open(url: string, init: { method?: string; form?: Record<string, string> } = {}, maxHops = 10): Promise<Page> {
    const hops: { status: number; url: string }[] = [];
    let res = await this.request(url, init);
    let current = url;
    hops.push({ status: res.status, url: current });
    while (res.status >= 300 && res.status < 400 && hops.length <= maxHops) {
      current = new URL(res.headers.get('location')!, current).toString();
      await res.body?.cancel();
      res = await this.request(current);
      hops.push({ status: res.status, url: current });
    }
    return { url: current, status: res.status, html: await res.text(), hops };
  }

  /** Submits the form whose action matches `action` on `page`, with its hidden fields plus `fields`. */
  async submit(page: Page, action: string | RegExp, fields: Record<string, string> = {}): Promise<Page> {
    const form = findForm(page.html, action);
    if (!form) throw new Error(`no form with action ${String(action)} on ${page.url}`);
    return this.open(new URL(decodeEntities(form.action), page.url).toString(), { form: { ...form.hidden, ...fields } });
  }

  cookie(hostname: string, name: string): string | undefined {
    return this.cookies.get(hostname)?.get(name);
  }

  private store(hostname: string, setCookies: string[]): void {
    for (const header of setCookies) {
      this.setCookieHeaders.push(header);
      const [pair, ...attributes] = header.split(';');
      const eq = pair!.indexOf('=');
      const name = pair!.slice(0, eq).trim();
      const value = pair!.slice(eq + 1).trim();
      const jar = this.cookies.get(hostname) ?? new Map<string, string>();
      this.cookies.set(hostname, jar);
      const expired = attributes.some((a) => /^\s*max-age=0\s*$/i.test(a) || (/^\s*expires=/i.test(a) && Date.parse(a.split('=')[1]!) < Date.now()));
      if (expired || value === '') jar.delete(name);
      else jar.set(name, value);
    }
  }
}

export function findForm(html: string, action: string | RegExp): { action: string; hidden: Record<string, string> } | null {
  for (const match of html.matchAll(/<form\b[^>]*action="([^"]*)"[^>]*>([\s\S]*?)<\/form>/g)) {
    const formAction = decodeEntities(match[1]!);
    if (typeof action === 'string' ? formAction !== action : !action.test(formAction)) continue;
    const hidden: Record<string, string> = {};
    for (const input of match[2]!.matchAll(/<input\b[^>]*>/g)) {
      const tag = input[0];
      if (!/type="hidden"/.test(tag)) continue;
      const name = /name="([^"]*)"/.exec(tag)?.[1];
      const value = /value="([^"]*)"/.exec(tag)?.[1] ?? '';
      if (name) hidden[name] = decodeEntities(value);
    }
    return { action: formAction, hidden };
  }
  return null;
}

/** The value of `data-<attribute>` on the element with `data-testid="<testId>"`, or null when absent. */
export function testIdAttribute(html: string, testId: string, attribute: string): string | null {
  const tag = new RegExp(`<[^>]*data-testid="${testId}"[^>]*>`).exec(html)?.[0];
  if (!tag) return null;
  return new RegExp(`${attribute}="([^"]*)"`).exec(tag)?.[1] ?? null;
}

export const hasTestId = (html: string, testId: string) => html.includes(`data-testid="${testId}"`);

/** The text of the first element with that test id: its whole content, nested elements included, tags stripped. */
export function testIdText(html: string, testId: string): string | null {
  const start = new RegExp(`<([a-zA-Z][a-zA-Z0-9]*)\\b[^>]*data-testid="${testId}"[^>]*>`).exec(html);
  if (!start) return null;
  const tag = start[1]!;
  const tags = new RegExp(`<(/?)${tag}\\b[^>]*>`, 'g');
  tags.lastIndex = start.index + start[0].length;
  let depth = 1;
  let end = html.length;
  for (let m = tags.exec(html); m; m = tags.exec(html)) {
    depth += m[1] ? -1 : 1;
    if (depth === 0) {
      end = m.index;
      break;
    }
  }
  const inner = html.slice(start.index + start[0].length, end);
  return decodeEntities(inner.replace(/<[^>]+>/g, ' ')).replace(/\s+/g, ' ').trim();
}

export const decodeEntities = (s: string) =>
  s.replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&#x27;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
