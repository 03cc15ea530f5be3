/** @jsxRuntime automatic @jsxImportSource hono/jsx */
import type { HubSpotConnection } from '@opencx/shared';
import type { FC } from 'hono/jsx';
import { HUBSPOT_SCOPE_REASONS, missingScopes } from '../connect/scopes';
import type { StoredCredentials } from '../store/connections.store';
import { CsrfField, formatTime } from './parts';

export type CardStatus = 'not_connected' | 'connected' | 'reconnect_required';

export const AUTH_MODE_LABELS = { oauth: 'OAuth Public App', private_app: 'Private App (legacy)' } as const;

export function cardStatusOf(connection: HubSpotConnection | null): CardStatus {
  if (!connection || connection.status === 'disconnected') return 'not_connected';
  return connection.status;
}

const STATUS_LABELS: Record<CardStatus, string> = {
  not_connected: 'Not connected',
  connected: 'Connected',
  reconnect_required: 'Reconnect required',
};

/** Sends the admin through HubSpot's consent screen again (the OAuth install), which renews the grant. */
const ConsentAgainForm: FC<{ csrfToken: string; testId: string; label: string }> = ({ csrfToken, testId, label }) => (
  <form method="post" action="/oauth/install">
    <CsrfField token={csrfToken} />
    <p>
      <button type="submit" data-testid={testId}>
        {label}
      </button>
    </p>
  </form>
);

/**
 * An OAuth grant from before the app asked for more scopes: HubSpot refuses those calls (403 MISSING_SCOPES) until
 * an admin approves the new ones, which reconnecting does. Each scope says what fails without it.
 */
const MissingScopes: FC<{ granted: readonly string[]; csrfToken: string }> = ({ granted, csrfToken }) => {
  const missing = missingScopes(granted);
  if (missing.length === 0) return null;
  return (
    <div class="banner warning" role="alert" data-testid="missing-scopes">
      <strong>HubSpot needs new permissions.</strong> This version of OpenCX asks HubSpot for permissions your
      connection was not granted. Until you approve them, these fail:
      <ul>
        {missing.map((scope) => (
          <li data-scope={scope}>
            <code>{scope}</code>: {HUBSPOT_SCOPE_REASONS[scope]}
          </li>
        ))}
      </ul>
      <ConsentAgainForm csrfToken={csrfToken} testId="grant-scopes-button" label="Approve in HubSpot" />
    </div>
  );
};

/** Settings → Integrations → HubSpot: the one card that says where the organization stands. */
export const IntegrationCard: FC<{
  connection: HubSpotConnection | null;
  credentials: StoredCredentials | null;
  csrfToken: string;
}> = ({ connection, credentials, csrfToken }) => {
  const status = cardStatusOf(connection);
  const live = connection && status !== 'not_connected' ? connection : null;
  return (
    <section class="card" data-testid="integration-card" data-status={status} aria-labelledby="hubspot-card-title">
      <h2 id="hubspot-card-title">
        HubSpot{' '}
        <span class={`status ${status}`} data-testid="integration-status">
          {STATUS_LABELS[status]}
        </span>
      </h2>
      {live ? (
        <dl class="facts">
          <dt>Portal</dt>
          <dd data-testid="portal-id">{live.portalId}</dd>
          <dt>Auth mode</dt>
          <dd data-testid="auth-mode" data-auth-mode={live.authMode}>
            {AUTH_MODE_LABELS[live.authMode]}
          </dd>
          <dt>Connected by</dt>
          <dd data-testid="connected-by">{live.connectedBy.email ?? (live.connectedBy.hubspotUserId ? `HubSpot user ${live.connectedBy.hubspotUserId}` : 'unknown')}</dd>
          <dt>Since</dt>
          <dd data-testid="connected-since">{formatTime(live.connectedAt)}</dd>
        </dl>
      ) : (
        <p class="muted">
          Connect a HubSpot portal so that OpenCX answers in its conversations and pauses when an agent takes over.
          {connection?.status === 'disconnected' ? ` Portal ${connection.portalId} was disconnected on ${formatTime(connection.updatedAt)}; its data is kept.` : ''}
        </p>
      )}
      {connection?.status === 'disconnected' && connection.statusReason ? (
        <div class="banner" role="status" data-testid="disconnected-reason">
          {/^disconnected\b/i.test(connection.statusReason) ? connection.statusReason : `Disconnected: ${connection.statusReason}`}
        </div>
      ) : null}
      {status === 'reconnect_required' ? (
        <div class="banner danger" role="alert" data-testid="reconnect-prompt">
          <strong>Reconnect HubSpot.</strong> {connection?.statusReason ?? 'OpenCX can no longer use this connection.'} Until
          you reconnect, the AI cannot read or update HubSpot for this portal.
          <ConsentAgainForm csrfToken={csrfToken} testId="reconnect-button" label="Reconnect with HubSpot" />
        </div>
      ) : null}
      {live?.authMode === 'oauth' && status === 'connected' ? <MissingScopes granted={live.scopes} csrfToken={csrfToken} /> : null}
      {live?.authMode === 'oauth' && status === 'connected' && credentials?.privateApp ? (
        <p class="banner info" data-testid="delete-private-app-note">
          OpenCX now uses the OAuth app. You may now delete the old OpenCX Private App in HubSpot (Settings →
          Integrations → Private Apps). Keep it only if you may want to roll back: rolling back reuses its token.
        </p>
      ) : null}
      <div class="actions">
        <a class="button" href="#connect-hubspot" data-testid="open-connect-modal">
          {status === 'not_connected' ? 'Set up HubSpot' : 'Manage connection'}
        </a>
        {live ? (
          <form method="post" action="/settings/integrations/hubspot/disconnect">
            <CsrfField token={csrfToken} />
            <button type="submit" class="danger" data-testid="disconnect-button">
              Disconnect
            </button>
          </form>
        ) : null}
      </div>
    </section>
  );
};
