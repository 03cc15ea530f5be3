/** @jsxRuntime automatic @jsxImportSource hono/jsx */
import type { FC } from 'hono/jsx';
import type { IntegrationProblem, IntegrationProblemKind } from '../store/integration-problems.store';
import { formatTime } from './parts';

/** What each kind of problem means for the admin, and what to do about it. */
const KINDS: Record<IntegrationProblemKind, { title: string; fix: string }> = {
  reply_failed: {
    title: 'An AI reply could not be posted',
    fix: 'The conversation was handed to a person. Check the AI sender and that the connection is working; new messages are answered again once it is.',
  },
  token_refused: {
    title: 'HubSpot refused the access token',
    fix: 'Reconnect HubSpot: paste a new Private App token, or connect through OAuth.',
  },
  webhook_without_connection: {
    title: 'Webhooks arrived for a portal with no connection',
    fix: 'HubSpot still sends events for this portal. Reconnect it, or remove the webhook subscription (or the app) in HubSpot.',
  },
  app_uninstalled: {
    title: 'The app was uninstalled in HubSpot',
    fix: 'OpenCX no longer answers in this portal. Connect HubSpot again to resume; sessions and history are kept.',
  },
  no_ai_sender: {
    title: 'The AI did not answer: no AI sender is chosen',
    fix: 'Choose the AI sender above.',
  },
};

export const ProblemsCard: FC<{ problems: readonly IntegrationProblem[] }> = ({ problems }) =>
  problems.length === 0 ? null : (
    <section class="card" data-testid="problems" aria-labelledby="problems-title">
      <h2 id="problems-title">Recent problems</h2>
      <ul>
        {problems.map((p) => (
          <li data-testid="problem" data-kind={p.kind}>
            <strong>{KINDS[p.kind].title}</strong> <span class="muted">{formatTime(p.at)}</span>
            {p.threadId ? <span class="muted"> · conversation {p.threadId}</span> : null}
            <br />
            {p.message}
            <br />
            <span class="muted">{KINDS[p.kind].fix}</span>
          </li>
        ))}
      </ul>
    </section>
  );
