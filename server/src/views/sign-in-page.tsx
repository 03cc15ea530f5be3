/** @jsxRuntime automatic @jsxImportSource hono/jsx */
import type { FC } from 'hono/jsx';
import { Layout } from './layout';

/**
 * The page a sign-in link opens. Signing in takes a click (a POST), so that link scanners and previews that
 * fetch the link cannot use it up.
 */
export const SignInPage: FC<{ token: string | null }> = ({ token }) => (
  <Layout title="Sign in · OpenCX">
    <section class="card" data-testid="sign-in">
      <h1>Sign in to OpenCX</h1>
      {token ? (
        <form method="post" action="/admin/sign-in">
          <input type="hidden" name="token" value={token} />
          <p>This one-time link signs you in as an organization admin. It works once and for 15 minutes.</p>
          <button type="submit" data-testid="sign-in-button">
            Sign in
          </button>
        </form>
      ) : (
        <>
          <p>Admins sign in with a one-time link.</p>
          <ul>
            <li>
              Running locally with <code>npm start</code>: the link is printed when the server starts.
            </li>
            <li>
              Otherwise: <code>npm run admin -- sign-in-link --email you@example.com</code> prints a new one.
            </li>
          </ul>
        </>
      )}
    </section>
  </Layout>
);
