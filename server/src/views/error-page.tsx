/** @jsxRuntime automatic @jsxImportSource hono/jsx */
import type { FC } from 'hono/jsx';
import { FAILURES, type FailureCode } from './failures';
import { Layout } from './layout';

export const SETTINGS_PATH = '/settings/integrations/hubspot';

/** Hints name commands in `backticks`; show those as code. */
const withCode = (text: string) => text.split('`').map((part, i) => (i % 2 === 1 ? <code>{part}</code> : part));

/** The page for one failure code: what happened, that nothing changed, and what to do next. */
export const ErrorPage: FC<{ code: FailureCode; detail?: string; signedIn?: boolean }> = ({ code, detail, signedIn }) => {
  const failure = FAILURES[code];
  return (
    <Layout title={`${failure.title} · OpenCX`}>
      <section class="card" role="alert" data-testid="error-page" data-error-code={code} data-status={failure.status}>
        <h1>{failure.title}</h1>
        <p>{failure.message}</p>
        {detail ? <p class="muted">{detail}</p> : null}
        <p class="muted">{withCode(failure.hint)}</p>
        <p>
          <a class="button" href={signedIn === false ? '/admin/sign-in' : SETTINGS_PATH}>
            {signedIn === false ? 'How to sign in' : 'Back to HubSpot settings'}
          </a>
        </p>
        <p class="muted">Error code: <code>{code}</code></p>
      </section>
    </Layout>
  );
};
