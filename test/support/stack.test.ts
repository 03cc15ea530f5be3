import { afterEach, describe, expect, it } from 'vitest';
import { connectPortalOverOAuth } from './connected-portal';
import { startStack, type Stack } from './stack';

describe('the end-to-end stack', () => {
  let stack: Stack | undefined;
  afterEach(async () => stack?.close());

  it('runs the real server on SQLite against the sandbox, and connects a portal with real tokens', async () => {
    stack = await startStack();
    const health = await fetch(`${stack.serverUrl}/healthz`);
    expect(health.status).toBe(200);
    const { portalId, organization } = await connectPortalOverOAuth(stack);
    const connection = await stack.server.deps.store.connections.findByPortal(portalId);
    expect(connection).toMatchObject({ organizationId: organization.id, authMode: 'oauth', status: 'connected' });
    // The stored token works against the sandbox through the gateway.
    const owners = await stack.server.deps.hubspot.getOwner(portalId, Object.values(stack.sandbox.state.portals[String(portalId)]!.users)[0]!.ownerId);
    expect(owners?.email).toBeTruthy();
  });
});
