/** @jsxRuntime automatic @jsxImportSource hono/jsx */
import type { HubSpotConnection } from '@opencx/shared';
import type { FC } from 'hono/jsx';
import type { AiUserChoice } from '../connect/ai-user';
import { CsrfField } from './parts';

/**
 * The AI sender: the HubSpot teammate whose name the AI's replies carry. Until one is chosen the AI does not post,
 * and the page says so first. The choices are the portal's users (HubSpot's owners list).
 */
export const AiSenderCard: FC<{ connection: HubSpotConnection; choices: readonly AiUserChoice[] | null; csrfToken: string }> = ({ connection, choices, csrfToken }) => {
  const current = connection.aiUser;
  return (
    <section class="card" data-testid="ai-sender" data-ai-user-id={current ? String(current.hubspotUserId) : ''} aria-labelledby="ai-sender-title">
      <h2 id="ai-sender-title">AI sender</h2>
      {current ? (
        <p data-testid="ai-sender-current">
          The AI replies as <strong>{current.name ?? `HubSpot user ${current.hubspotUserId}`}</strong>
          {current.email ? ` (${current.email})` : ''}. A conversation assigned to this user stays with the AI; assigning it
          to anyone else pauses the AI.
        </p>
      ) : (
        <div class="banner danger" role="alert" data-testid="ai-sender-missing">
          <strong>Choose the AI sender.</strong> Until you do, the AI does not post replies in HubSpot. Pick the HubSpot
          teammate the AI posts as: customers see this name on its replies. A dedicated user (for example "OpenCX AI") works
          best.
        </div>
      )}
      {choices === null ? (
        <p class="muted" data-testid="ai-sender-unavailable">HubSpot did not answer with the portal's users; reload the page to try again.</p>
      ) : (
        <form method="post" action="/settings/integrations/hubspot/ai-user" class="inline">
          <CsrfField token={csrfToken} />
          <label for="ai-user-select">HubSpot user</label>{' '}
          <select id="ai-user-select" name="userId" required data-testid="ai-user-select">
            {current ? null : <option value="">Choose a user…</option>}
            {choices.map((choice) => (
              <option value={String(choice.hubspotUserId)} selected={current?.hubspotUserId === choice.hubspotUserId}>
                {choice.label}
              </option>
            ))}
          </select>{' '}
          <button type="submit" data-testid="ai-user-submit">
            {current ? 'Change AI sender' : 'Save AI sender'}
          </button>
        </form>
      )}
    </section>
  );
};
