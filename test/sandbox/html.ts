// Plain server-rendered HTML for the consent screen and the sandbox dashboard: escaping and one layout.
export function escapeHtml(value: unknown): string {
  return String(value ?? '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

/** Tagged template that escapes every interpolated value unless it is already `raw(...)` HTML. */
export class RawHtml {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}
export const raw = (value: string): RawHtml => new RawHtml(value);

export function html(strings: TemplateStringsArray, ...values: unknown[]): RawHtml {
  let out = strings[0] ?? '';
  values.forEach((value, i) => {
    const rendered = Array.isArray(value)
      ? value.map((v) => (v instanceof RawHtml ? v.value : escapeHtml(v))).join('')
      : value instanceof RawHtml
        ? value.value
        : value === undefined || value === null || value === false
          ? ''
          : escapeHtml(value);
    out += rendered + (strings[i + 1] ?? '');
  });
  return new RawHtml(out);
}

const CSS = `
*{box-sizing:border-box}body{margin:0;font:14px/1.45 system-ui,-apple-system,Segoe UI,Roboto,sans-serif;color:#213343;background:#f5f8fa}
header{background:#213343;color:#fff;padding:12px 24px;display:flex;gap:12px;align-items:center}
header b{color:#ff7a59}main{max-width:1200px;margin:0 auto;padding:20px 24px}
.card{background:#fff;border:1px solid #cbd6e2;border-radius:6px;padding:16px 20px;margin:0 0 16px}
h1{font-size:20px;margin:0 0 12px}h2{font-size:16px;margin:0 0 10px}h3{font-size:14px;margin:12px 0 6px}
table{border-collapse:collapse;width:100%;font-size:13px}th,td{text-align:left;padding:6px 8px;border-bottom:1px solid #eaf0f6;vertical-align:top}
th{color:#516f90;font-weight:600}code,.mono{font-family:ui-monospace,Menlo,monospace;font-size:12px}
form.inline{display:inline-flex;gap:6px;align-items:center;flex-wrap:wrap;margin:2px 0}
input,select,textarea{font:inherit;padding:4px 6px;border:1px solid #cbd6e2;border-radius:3px;background:#fff}
button{font:inherit;padding:5px 12px;border-radius:3px;border:1px solid #ff7a59;background:#ff7a59;color:#fff;cursor:pointer}
button.secondary{background:#fff;color:#ff7a59}button.danger{background:#fff;border-color:#d94c53;color:#d94c53}
.muted{color:#7c98b6}.ok{color:#00a38d}.bad{color:#d94c53}.pill{display:inline-block;padding:0 8px;border-radius:10px;background:#eaf0f6;font-size:12px}
ul.scopes{padding-left:18px}.msg{margin:4px 0;padding:4px 8px;border-left:3px solid #cbd6e2;background:#f5f8fa}
.msg.in{border-color:#00bda5}.msg.out{border-color:#ff7a59}.msg.note{border-color:#f5c26b;background:#fef8f0}
.grid{display:grid;grid-template-columns:repeat(auto-fill,minmax(340px,1fr));gap:12px}
`;

export function page(title: string, body: RawHtml): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${escapeHtml(title)}</title><style>${CSS}</style></head><body>
<header><b>HubSpot</b><span>sandbox</span><span class="muted">— a local stand-in, not HubSpot</span></header>
<main>${body.value}</main></body></html>`;
}
