/** @jsxRuntime automatic @jsxImportSource hono/jsx */
import type { HubSpotConnection, Organization, SignatureSettings } from '@opencx/shared';
import type { FC } from 'hono/jsx';
import { TOASTS, type ToastKey } from '../admin/cookies';
import type { StoredCredentials } from '../store/connections.store';
import type { PendingInstall } from '../store/pending-installs.store';
import type { AiUserChoice } from '../connect/ai-user';
import type { IntegrationProblem } from '../store/integration-problems.store';
import { AiSenderCard } from './ai-sender-card';
import { HandoffCard } from './handoff-card';
import type { HandoffChoices } from '../connect/handoff-settings';
import type { HandoffSettings } from '../store/handoff-settings.store';
import { ConnectModal, type LegacyWebhookView } from './connect-modal';
import { ProblemsCard } from './problems-card';
import { ACTIVITY_PATH } from './activity-page';
import { DEAD_LETTERS_PATH } from './dead-letters-page';
import { IntegrationCard } from './integration-card';
import { OpenCxKeyForm, type OpenCxKeyView } from './opencx-key-form';
import { Layout } from './layout';
import { CsrfField, formatTime } from './parts';
import { PreferencesForm } from './preferences-form';

export interface SettingsPageProps {
  adminEmail: string;
  organization: Organization;
  csrfToken: string;
  connection: HubSpotConnection | null;
  credentials: StoredCredentials | null;
  signature: SignatureSettings | null;
  opencxKey: OpenCxKeyView | null;
  /** Who answers without a key: the embedded FAQ agent, or OPENCX_AI_URL's service. */
  aiFallback: 'faq' | 'service';
  pendingInstalls: readonly PendingInstall[];
  /** The organization's own webhook URL for a legacy Private App; null when the organization is OAuth-only. */
  legacyWebhook: LegacyWebhookView | null;
  /** The portal's users the AI can post as; null when HubSpot could not be asked (or nothing is connected). */
  aiUserChoices: readonly AiUserChoice[] | null;
  /** What a handoff does; its choices are null when HubSpot could not be asked (or nothing is connected). */
  handoff: { settings: HandoffSettings; choices: HandoffChoices | null };
  problems: readonly IntegrationProblem[];
  oauthAvailable: boolean;
  toast: ToastKey | null;
  /** A failed form of the modal: shown inside it, with the modal open. */
  modalError: string | null;
  /** A failed form elsewhere on the page. */
  pageError: string | null;
}

export const SettingsPage: FC<SettingsPageProps> = (p) => (
  <Layout title="HubSpot · Integrations · OpenCX" signedInAs={{ email: p.adminEmail, organizationName: p.organization.name, csrfToken: p.csrfToken }}>
    <nav class="crumbs" aria-label="Breadcrumb">
      Settings → Integrations → HubSpot
    </nav>
    <h1>HubSpot</h1>
    {p.toast ? (
      <div class="toast" role="status" data-testid="toast" data-toast={p.toast}>
        {TOASTS[p.toast]}
      </div>
    ) : null}
    {p.pageError ? (
      <div class="error" role="alert" data-testid="page-error">
        {p.pageError}
      </div>
    ) : null}
    <PendingInstalls installs={p.pendingInstalls} csrfToken={p.csrfToken} />
    <IntegrationCard connection={p.connection} credentials={p.credentials} csrfToken={p.csrfToken} />
    {p.connection && p.connection.status !== 'disconnected' ? <AiSenderCard connection={p.connection} choices={p.aiUserChoices} csrfToken={p.csrfToken} /> : null}
    {p.connection && p.connection.status !== 'disconnected' ? <HandoffCard settings={p.handoff.settings} choices={p.handoff.choices} csrfToken={p.csrfToken} /> : null}
    <ProblemsCard problems={p.problems} />
    <p>
      <a href={ACTIVITY_PATH} data-testid="activity-link">
        Activity (conversations and their AI state)
      </a>
      {' · '}
      <a href={DEAD_LETTERS_PATH} data-testid="dead-letters-link">
        Failed work (retry or discard)
      </a>
    </p>
    <PreferencesForm organization={p.organization} signature={p.signature} csrfToken={p.csrfToken} />
    <OpenCxKeyForm apiKey={p.opencxKey} fallback={p.aiFallback} csrfToken={p.csrfToken} />
    <ConnectModal
      connection={p.connection}
      credentials={p.credentials}
      oauthOnly={p.organization.oauthOnly}
      oauthAvailable={p.oauthAvailable}
      legacyWebhook={p.legacyWebhook}
      csrfToken={p.csrfToken}
      open={p.modalError !== null}
      error={p.modalError}
    />
  </Layout>
);

/** Marketplace installs finished in this browser, waiting for an admin to attach them. */
const PendingInstalls: FC<{ installs: readonly PendingInstall[]; csrfToken: string }> = ({ installs, csrfToken }) =>
  installs.length === 0 ? null : (
    <section class="card" data-testid="pending-installs" aria-labelledby="pending-title">
      <h2 id="pending-title">HubSpot installs waiting for you</h2>
      <p class="muted">These portals installed OpenCX from the HubSpot marketplace in this browser. Attach one to this organization to connect it.</p>
      <ul>
        {installs.map((install) => (
          <li data-testid="pending-install" data-portal-id={install.portalId}>
            Portal <strong>{install.portalId}</strong>
            {install.connectedBy.email ? `, installed by ${install.connectedBy.email}` : ''} on {formatTime(install.createdAt)}{' '}
            <form class="inline" method="post" action={`/settings/integrations/hubspot/pending/${install.id}/attach`}>
              <CsrfField token={csrfToken} />
              <button type="submit" data-testid="attach-pending">
                Attach to this organization
              </button>
            </form>
          </li>
        ))}
      </ul>
    </section>
  );
