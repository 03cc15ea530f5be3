/** @jsxRuntime automatic @jsxImportSource hono/jsx */
import { DEFAULT_HANDOFF_MESSAGE, type Organization, type SignatureSettings } from '@opencx/shared';
import type { FC } from 'hono/jsx';
import { CsrfField } from './parts';

export const HANDOFF_MESSAGE_MAX_LENGTH = 500;
export const SIGNATURE_MAX_LENGTH = 2000;

/** The organization's HubSpot settings the product uses. */
export const PreferencesForm: FC<{ organization: Organization; signature: SignatureSettings | null; csrfToken: string }> = ({
  organization,
  signature,
  csrfToken,
}) => (
  <section class="card" aria-labelledby="preferences-title" data-testid="preferences">
    <h2 id="preferences-title">HubSpot settings</h2>
    <form method="post" action="/settings/integrations/hubspot/preferences">
      <CsrfField token={csrfToken} />
      <h3>Email signature</h3>
      <label class="choice">
        <input type="checkbox" name="signatureEnabled" value="on" checked={signature?.enabled ?? false} data-testid="signature-enabled" />
        Add a signature to AI replies on email threads
      </label>
      <label for="signature-text">Signature</label>
      <textarea id="signature-text" name="signatureText" rows={4} maxlength={SIGNATURE_MAX_LENGTH} data-testid="signature-text">
        {signature?.text ?? ''}
      </textarea>
      <h3>When an agent is unassigned</h3>
      <p class="muted">If the AI paused because an agent took the ticket or conversation, and the agent is then unassigned:</p>
      <label class="choice">
        <input type="radio" name="unassignPolicy" value="stay_paused" checked={organization.unassignPolicy === 'stay_paused'} data-testid="policy-stay-paused" />
        Keep the AI paused (an agent resumes it)
      </label>
      <label class="choice">
        <input type="radio" name="unassignPolicy" value="resume" checked={organization.unassignPolicy === 'resume'} data-testid="policy-resume" />
        Resume the AI
      </label>
      <h3>When the AI hands a conversation to a person</h3>
      <label for="handoff-message">Message to the customer (on the same channel; empty: none)</label>
      <textarea id="handoff-message" name="handoffMessage" rows={2} maxlength={HANDOFF_MESSAGE_MAX_LENGTH} data-testid="handoff-message">
        {organization.handoffMessage ?? DEFAULT_HANDOFF_MESSAGE}
      </textarea>
      <p>
        <button type="submit" data-testid="save-preferences">
          Save settings
        </button>
      </p>
    </form>
  </section>
);
