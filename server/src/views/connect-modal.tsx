/** @jsxRuntime automatic @jsxImportSource hono/jsx */
import type { HubSpotConnection } from '@opencx/shared';
import type { FC } from 'hono/jsx';
import type { StoredCredentials } from '../store/connections.store';
import { SETTINGS_PATH } from './error-page';
import { CsrfField } from './parts';

/** The four reasons of the migration guide (docs/connect-hubspot.md, "Why migrate"). */
export const MIGRATION_REASONS = [
  ['Private Apps are the legacy path.', 'New features such as workflow extensions only work on OAuth.'],
  ['One click instead of token paste.', 'No more creating a HubSpot Private App, copying scopes, pasting access tokens, or configuring webhooks manually.'],
  ['Better security.', 'OAuth tokens are short-lived and refreshed automatically. Private App tokens remain valid until rotated or revoked.'],
  ['Faster agent takeover.', 'HubSpot ownership changes can pause the AI without waiting for the next customer message.'],
] as const;

export interface ConnectModalProps {
  connection: HubSpotConnection | null;
  credentials: StoredCredentials | null;
  oauthOnly: boolean;
  oauthAvailable: boolean;
  legacyWebhook: LegacyWebhookView | null;
  csrfToken: string;
  /** Rendered open (after a failed form in it); otherwise it opens through the #connect-hubspot fragment. */
  open: boolean;
  error: string | null;
}

/**
 * The HubSpot integration modal, without JavaScript: a section shown while the URL fragment targets it (or when
 * the server renders it open), with a close link back to the page.
 */
/** The legacy path's own webhook URL, as the modal shows it. */
export interface LegacyWebhookView {
  url: string;
  /** A client secret is stored: HubSpot's v3 signature is checked as well as the URL's secret. */
  signatureChecked: boolean;
}

export const ConnectModal: FC<ConnectModalProps> = (p) => {
  const live = p.connection && p.connection.status !== 'disconnected' ? p.connection : null;
  const onPrivateApp = live?.authMode === 'private_app';
  const canRollBack = !p.oauthOnly && live?.authMode === 'oauth' && p.credentials?.privateApp === true;
  return (
    <section id="connect-hubspot" class={`modal${p.open ? ' open' : ''}`} role="dialog" aria-modal="true" aria-labelledby="connect-hubspot-title" data-testid="connect-modal">
      <div class="modal-body">
        <a class="modal-close" href={SETTINGS_PATH} aria-label="Close">
          Close
        </a>
        <h2 id="connect-hubspot-title">Connect HubSpot</h2>
        {p.error ? (
          <div class="error" role="alert" data-testid="form-error">
            {p.error}
          </div>
        ) : null}
        {onPrivateApp ? (
          <div class="banner" role="note" data-testid="migration-banner">
            <strong>Action recommended: move to the OAuth Public App.</strong> Your organization still connects HubSpot
            with a Private App token.
            <ul>
              {MIGRATION_REASONS.map(([title, text]) => (
                <li data-testid="migration-reason">
                  <strong>{title}</strong> {text}
                </li>
              ))}
            </ul>
            Your tickets, conversations, sessions and email signature settings stay intact during the switch.
          </div>
        ) : null}
        <div class="options">
          <div class="option recommended" data-testid="option-oauth">
            <h3>OAuth Public App</h3>
            <p>Approve OpenCX on HubSpot’s consent screen. Tokens are issued and refreshed automatically, webhooks are subscribed on install, and the workflow actions appear in HubSpot.</p>
            {p.oauthAvailable ? (
              <form method="post" action="/oauth/install">
                <CsrfField token={p.csrfToken} />
                <button type="submit" data-testid="connect-button">
                  Connect with HubSpot
                </button>
              </form>
            ) : (
              <p class="muted" data-testid="oauth-unavailable">This server has no HubSpot app credentials; an operator must configure them.</p>
            )}
            <p class="muted">Reconnecting uses the portal you choose on HubSpot’s screen. OpenCX asks before it moves the organization to another portal.</p>
          </div>
          {p.oauthOnly ? (
            <div class="option" data-testid="oauth-only-note">
              <h3>Private App (legacy)</h3>
              <p class="muted">Your organization connects HubSpot through OAuth only.</p>
            </div>
          ) : (
            <div class="option" data-testid="option-private-app">
              <h3>Private App (legacy){onPrivateApp ? <span class="muted"> · in use</span> : null}</h3>
              {p.legacyWebhook ? (
                <div data-testid="legacy-webhook">
                  <p>
                    1. Copy this webhook URL first and save it with the Private App (its Webhooks tab) before you create the
                    app. It is signed and specific to your organization: <strong>treat it like a password</strong>.
                    <br />
                    <code data-testid="webhook-url">{p.legacyWebhook.url}</code>
                  </p>
                  <form method="post" action="/settings/integrations/hubspot/legacy-webhook/rotate" class="inline">
                    <CsrfField token={p.csrfToken} />
                    <button type="submit" class="secondary" data-testid="rotate-webhook-url">
                      New webhook URL
                    </button>{' '}
                    <span class="muted">The old URL stops working at once.</span>
                  </form>
                  <p class="muted" data-testid="webhook-signature-mode">
                    {p.legacyWebhook.signatureChecked
                      ? 'HubSpot’s signature is checked too, with the client secret you gave.'
                      : 'Give the Private App’s client secret below and HubSpot’s signature is checked too.'}
                  </p>
                </div>
              ) : null}
              <form method="post" action="/settings/integrations/hubspot/private-app">
                <CsrfField token={p.csrfToken} />
                <p>2. Then paste what HubSpot shows for the Private App:</p>
                <label for="private-app-token">Private App access token</label>
                <input id="private-app-token" name="token" type="password" autocomplete="off" spellcheck={false} required placeholder="pat-na1-…" data-testid="private-app-token" />
                <label for="default-user-id">Default User ID</label>
                <input id="default-user-id" name="defaultUserId" inputmode="numeric" pattern="[0-9]+" required placeholder="e.g. 9586504" data-testid="default-user-id" />
                <p class="muted">The numeric ID of the HubSpot user the AI posts as (HubSpot: Settings → Users &amp; Teams).</p>
                <label for="private-app-client-secret">Client secret (optional)</label>
                <input id="private-app-client-secret" name="clientSecret" type="password" autocomplete="off" spellcheck={false} data-testid="private-app-client-secret" />
                <p class="muted">OpenCX checks the token and the user with HubSpot before saving anything.</p>
                <button type="submit" class="secondary" data-testid="private-app-submit">
                  Save
                </button>
              </form>
              {canRollBack ? (
                <form method="post" action="/settings/integrations/hubspot/rollback">
                  <CsrfField token={p.csrfToken} />
                  <p class="muted">Something broke after the move to OAuth? Go back to the Private App token you used before.</p>
                  <button type="submit" class="secondary" data-testid="rollback-button">
                    Roll back to the Private App token
                  </button>
                </form>
              ) : null}
            </div>
          )}
        </div>
      </div>
    </section>
  );
};
