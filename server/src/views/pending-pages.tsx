/** @jsxRuntime automatic @jsxImportSource hono/jsx */
import type { FC } from 'hono/jsx';
import { SIGN_IN_PATH } from '../admin/provision';
import { SETTINGS_PATH } from './error-page';
import { Layout } from './layout';
import { CsrfField } from './parts';

/** After a marketplace install (no state of ours): nothing is connected until an admin attaches it. */
export const MarketplacePendingPage: FC<{ portalId: number; signedIn: boolean }> = ({ portalId, signedIn }) => (
  <Layout title="Almost done · OpenCX">
    <section class="card" data-testid="pending-install-page" data-portal-id={portalId}>
      <h1>Almost done: attach portal {portalId}</h1>
      <p>
        OpenCX was installed in HubSpot portal <strong>{portalId}</strong>. It is not connected to an OpenCX
        organization yet: an organization admin has to attach it.
      </p>
      {signedIn ? (
        <p>
          <a class="button" href={SETTINGS_PATH} data-testid="continue-to-settings">
            Continue to HubSpot settings
          </a>
        </p>
      ) : (
        <p>
          Sign in to OpenCX <strong>in this browser</strong> with your admin sign-in link, then open Settings →
          Integrations → HubSpot and click “Attach to this organization”. The install waits for 24 hours.{' '}
          <a href={SIGN_IN_PATH}>How to sign in</a>
        </p>
      )}
    </section>
  </Layout>
);

/** A reconnect chose another portal than the organization's: nothing moves until the admin confirms. */
export const PortalChangePage: FC<{ pendingId: string; fromPortalId: number; toPortalId: number; csrfToken: string }> = (p) => (
  <Layout title="Switch HubSpot portal? · OpenCX">
    <section class="card" data-testid="portal-change-warning" data-from-portal={p.fromPortalId} data-to-portal={p.toPortalId}>
      <h1>Switch to another HubSpot portal?</h1>
      <div class="banner" role="alert">
        You approved portal <strong>{p.toPortalId}</strong>, but this organization is connected to portal{' '}
        <strong>{p.fromPortalId}</strong>. OpenCX serves one portal per organization.
      </div>
      <p>If you switch:</p>
      <ul>
        <li>OpenCX works with portal {p.toPortalId} from now on.</li>
        <li>Ticket links of portal {p.fromPortalId} are kept and marked stale; they are never deleted.</li>
        <li>Chat sessions, chat history and signature settings stay as they are.</li>
        <li>The tokens of portal {p.fromPortalId} are removed (including a Private App token kept for rollback).</li>
      </ul>
      <form class="inline" method="post" action={`/settings/integrations/hubspot/portal-change/${p.pendingId}/confirm`}>
        <CsrfField token={p.csrfToken} />
        <button type="submit" data-testid="confirm-portal-change">
          Switch to portal {p.toPortalId}
        </button>
      </form>{' '}
      <form class="inline" method="post" action={`/settings/integrations/hubspot/portal-change/${p.pendingId}/cancel`}>
        <CsrfField token={p.csrfToken} />
        <button type="submit" class="secondary" data-testid="cancel-portal-change">
          Keep portal {p.fromPortalId}
        </button>
      </form>
    </section>
  </Layout>
);
