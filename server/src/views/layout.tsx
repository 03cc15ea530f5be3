/** @jsxRuntime automatic @jsxImportSource hono/jsx */
import { createHash } from 'node:crypto';
import type { FC, PropsWithChildren } from 'hono/jsx';

// A little inline CSS, no build step. Colours meet WCAG AA contrast on white; focus stays visible.
const CSS = `
*{box-sizing:border-box}
body{margin:0;font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1f2d3d;background:#f4f6f9}
header.top{background:#1f2d3d;color:#fff;padding:10px 24px;display:flex;gap:16px;align-items:center;justify-content:space-between}
header.top .brand{font-weight:700}header.top form{margin:0}
main{max-width:860px;margin:0 auto;padding:24px}
nav.crumbs{color:#4a5a6d;font-size:14px;margin-bottom:8px}
h1{font-size:24px;margin:0 0 16px}h2{font-size:18px;margin:0 0 12px}h3{font-size:16px;margin:16px 0 8px}
.card{background:#fff;border:1px solid #cfd8e3;border-radius:8px;padding:20px;margin:0 0 20px}
.status{display:inline-block;padding:2px 10px;border-radius:12px;font-weight:600;font-size:14px}
.status.connected{background:#dff5ea;color:#0b5e3a}.status.not_connected,.status.disconnected{background:#e9edf2;color:#33475b}
.status.reconnect_required{background:#fde8e8;color:#8a1c1c}
dl.facts{display:grid;grid-template-columns:max-content 1fr;gap:4px 16px;margin:12px 0}dl.facts dt{color:#4a5a6d}dl.facts dd{margin:0}
.banner{border-left:4px solid #c77700;background:#fff6e5;padding:12px 16px;border-radius:4px;margin:0 0 16px}
.banner.danger{border-color:#b42318;background:#fdecec}.banner.info{border-color:#1d5fbf;background:#eaf2fd}
.toast{border-left:4px solid #0b7a4b;background:#e6f6ee;padding:12px 16px;border-radius:4px;margin:0 0 16px;font-weight:600}
.error{border-left:4px solid #b42318;background:#fdecec;padding:12px 16px;border-radius:4px;margin:0 0 16px}
button,.button{font:inherit;padding:8px 16px;border-radius:6px;border:1px solid #d35400;background:#d35400;color:#fff;cursor:pointer;text-decoration:none;display:inline-block}
button.secondary,.button.secondary{background:#fff;color:#a84300}button.danger{background:#fff;border-color:#b42318;color:#b42318}
button:focus-visible,.button:focus-visible,a:focus-visible,input:focus-visible,textarea:focus-visible{outline:3px solid #1d5fbf;outline-offset:2px}
form.inline{display:inline}.actions{display:flex;gap:12px;align-items:center;flex-wrap:wrap}.actions form{margin:0}
label{display:block;font-weight:600;margin:12px 0 4px}label.choice{font-weight:400;display:flex;gap:8px;align-items:flex-start}
input[type=text],input[type=password],textarea{font:inherit;width:100%;padding:8px;border:1px solid #8a99ab;border-radius:6px}
code,.mono{font-family:ui-monospace,Menlo,Consolas,monospace;font-size:14px;background:#eef1f5;padding:1px 4px;border-radius:4px;word-break:break-all}
.muted{color:#4a5a6d}.options{display:grid;grid-template-columns:1fr 1fr;gap:16px}
.option{border:1px solid #cfd8e3;border-radius:8px;padding:16px}.option.recommended{border-color:#d35400}
.modal{display:none}.modal:target,.modal.open{display:flex;position:fixed;inset:0;background:rgba(15,23,33,.55);align-items:flex-start;justify-content:center;overflow:auto;padding:40px 16px;z-index:10}
.modal-body{background:#fff;border-radius:10px;max-width:820px;width:100%;padding:24px;position:relative}
.modal-close{position:absolute;top:12px;right:16px}
@media (max-width:640px){.options{grid-template-columns:1fr}}
`;

/** The Content-Security-Policy allows this one inline sheet by its hash (http/security-headers.ts). */
export const LAYOUT_STYLE_HASH = `sha256-${createHash('sha256').update(CSS, 'utf8').digest('base64')}`;

export const Layout: FC<PropsWithChildren<{ title: string; signedInAs?: { email: string; organizationName: string; csrfToken: string } }>> = ({
  title,
  signedInAs,
  children,
}) => (
  <html lang="en">
    <head>
      <meta charset="utf-8" />
      <meta name="viewport" content="width=device-width, initial-scale=1" />
      <meta name="robots" content="noindex" />
      {/* The app sends Referrer-Policy: no-referrer, under which browsers send `Origin: null` on form posts; our
          forms need their real origin for the same-origin check, and other sites still get no referrer. */}
      <meta name="referrer" content="same-origin" />
      <title>{title}</title>
      <style dangerouslySetInnerHTML={{ __html: CSS }} />
    </head>
    <body>
      <header class="top">
        <span class="brand">OpenCX</span>
        {signedInAs ? (
          <div class="actions">
            <span data-testid="signed-in-as">
              {signedInAs.email} · {signedInAs.organizationName}
            </span>
            <form method="post" action="/admin/sign-out">
              <input type="hidden" name="_csrf" value={signedInAs.csrfToken} />
              <button type="submit" class="secondary" data-testid="sign-out-button">
                Sign out
              </button>
            </form>
          </div>
        ) : null}
      </header>
      <main>{children}</main>
    </body>
  </html>
);
