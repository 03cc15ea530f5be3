import { Hono } from 'hono';
import type { FC, PropsWithChildren } from 'hono/jsx';
import type { AppDeps, AppEnv } from '../deps';

const Layout: FC<PropsWithChildren<{ title: string }>> = ({ title, children }) => (
  <html lang="en">
    <head>
      <meta charset="utf-8" />
      <meta name="viewport" content="width=device-width, initial-scale=1" />
      <title>{title}</title>
    </head>
    <body>{children}</body>
  </html>
);

/**
 * Mounted at /settings. The admin's HubSpot integration page (server-rendered Hono JSX). Until the Connect work
 * lands it renders a placeholder with status 501, a page rather than JSON because a person opens it.
 */
export function settingsRoutes(_deps: AppDeps) {
  return new Hono<AppEnv>().get('/integrations/hubspot', (c) =>
    c.html(
      <Layout title="HubSpot integration · OpenCX">
        <main>
          <h1>HubSpot integration</h1>
          <p>Connecting HubSpot from this page is not available yet.</p>
        </main>
      </Layout>,
      501,
    ),
  );
}
