/** @jsxRuntime automatic @jsxImportSource hono/jsx */
import type { FC } from 'hono/jsx';
import type { DeadLetter } from '../store/operations.store';
import { Layout } from './layout';
import { CsrfField, formatTime } from './parts';

export const DEAD_LETTERS_PATH = '/settings/integrations/hubspot/dead-letters';

export interface DeadLettersPageProps {
  adminEmail: string;
  organizationName: string;
  csrfToken: string;
  deadLetters: readonly DeadLetter[];
  /** What the last form did ("2 retried"), shown once. */
  notice: string | null;
}

const Action: FC<{ action: 'retry' | 'discard'; which: string; csrfToken: string; label: string }> = (p) => (
  <form class="inline" method="post" action={`${DEAD_LETTERS_PATH}/${p.action}`}>
    <CsrfField token={p.csrfToken} />
    <input type="hidden" name="which" value={p.which} />
    <button type="submit" data-testid={`${p.action}-${p.which}`}>
      {p.label}
    </button>
  </form>
);

/** Events and effects that failed for good: what, which conversation, the error; retry or discard each, or all. */
export const DeadLettersPage: FC<DeadLettersPageProps> = (p) => (
  <Layout title="Failed work · HubSpot · OpenCX" signedInAs={{ email: p.adminEmail, organizationName: p.organizationName, csrfToken: p.csrfToken }}>
    <nav class="crumbs" aria-label="Breadcrumb">
      <a href="/settings/integrations/hubspot">Settings → Integrations → HubSpot</a> → Failed work
    </nav>
    <h1>Failed work</h1>
    {p.notice ? (
      <div class="toast" role="status" data-testid="notice">
        {p.notice}
      </div>
    ) : null}
    <p class="muted">
      HubSpot events we could not apply and writes to HubSpot that failed for good. Retry one once its cause is fixed (a
      reconnect, a permission), or discard it.
    </p>
    {p.deadLetters.length === 0 ? (
      <p data-testid="no-dead-letters">Nothing failed.</p>
    ) : (
      <section class="card" data-testid="dead-letters">
        <Action action="retry" which="all" csrfToken={p.csrfToken} label="Retry all" />{' '}
        <Action action="discard" which="all" csrfToken={p.csrfToken} label="Discard all" />
        <ul>
          {p.deadLetters.map((d) => (
            <li data-testid="dead-letter" data-kind={d.kind} data-id={d.id}>
              <strong>{d.kind === 'event' ? `HubSpot event ${d.what}` : `Write to HubSpot: ${d.what}`}</strong>{' '}
              <span class="muted">
                {formatTime(d.failedAt)} · {d.attempts} attempt{d.attempts === 1 ? '' : 's'}
                {d.conversation ? ` · conversation ${d.conversation}` : ''}
              </span>
              <br />
              <span data-testid="dead-letter-error">{d.lastError ?? 'no error recorded'}</span>
              <br />
              <Action action="retry" which={`${d.kind}:${d.id}`} csrfToken={p.csrfToken} label="Retry" />{' '}
              <Action action="discard" which={`${d.kind}:${d.id}`} csrfToken={p.csrfToken} label="Discard" />
            </li>
          ))}
        </ul>
      </section>
    )}
  </Layout>
);
