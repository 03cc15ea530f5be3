// The step an admin takes after connecting (Settings → AI sender), for fixtures that connect without the pages:
// a dedicated "OpenCX AI" user in the sandbox portal, chosen as the AI sender, so that assigning a conversation
// to any other user (the seeded agents) is still a human taking over.
import type { Store } from '@opencx/server/store/store';
import type { Sandbox } from '../sandbox/index';

export async function chooseDedicatedAiSender(
  store: Store,
  sandbox: Sandbox,
  organizationId: string,
  portalId: number,
  now: number,
  userId?: number,
): Promise<number> {
  const portal = sandbox.state.portals[String(portalId)]!;
  const email = `opencx-ai@portal-${portalId}.example.com`;
  const ai =
    (userId === undefined ? Object.values(portal.users).find((u) => u.email === email) : portal.users[String(userId)]) ??
    sandbox.control.createUser({ portalId, email, firstName: 'OpenCX', lastName: 'AI' });
  await store.connections.setAiUser(organizationId, { hubspotUserId: ai.userId, name: `${ai.firstName} ${ai.lastName}`, email: ai.email }, now);
  return ai.userId;
}
