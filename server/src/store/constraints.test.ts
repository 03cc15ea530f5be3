import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { aMessage, anOrganization, aSession, seedSession } from '../../testing/fixtures';
import { createTestDeps, TEST_NOW, type TestDeps } from '../../testing/test-deps';

let deps: TestDeps;
beforeEach(() => {
  deps = createTestDeps();
});
afterEach(() => deps.cleanup());

const oauth = (organizationId: string, portalId: number) => ({
  organizationId,
  portalId,
  connectedBy: { hubspotUserId: 7, email: 'admin@acme.test' },
  scopes: ['tickets'],
  hubDomain: 'acme.hubspot.com',
  tokens: { accessToken: `access-${organizationId}`, refreshToken: `refresh-${organizationId}`, expiresAt: TEST_NOW + 1_800_000 },
});

/** A second connection to the same file, for what the store interfaces deliberately cannot do. */
function rawDatabase(): Database.Database {
  const db = new Database(deps.config.databasePath);
  db.pragma('foreign_keys = ON');
  return db;
}

describe('the schema keeps its promises', () => {
  it('one portal per organization: connecting another portal replaces it, never adds a second row', async () => {
    await deps.store.organizations.create(anOrganization({ id: 'org_1' }));
    await deps.store.connections.saveOAuthConnection(oauth('org_1', 1001), TEST_NOW);
    await deps.store.connections.saveOAuthConnection(oauth('org_1', 2002), TEST_NOW);
    expect(await deps.store.connections.findByPortal(1001)).toBeNull();
    expect((await deps.store.connections.findByOrganization('org_1'))?.portalId).toBe(2002);

    const db = rawDatabase();
    try {
      expect(() =>
        db
          .prepare(
            `INSERT INTO hubspot_connections (organization_id, portal_id, auth_mode, status, connected_at, created_at, updated_at)
             VALUES ('org_1', 3003, 'oauth', 'connected', 0, 0, 0)`,
          )
          .run(),
      ).toThrow(/UNIQUE constraint failed: hubspot_connections.organization_id/);
    } finally {
      db.close();
    }
  });

  it('one organization per portal: a second organization cannot take a connected portal', async () => {
    await deps.store.organizations.create(anOrganization({ id: 'org_1' }));
    await deps.store.organizations.create(anOrganization({ id: 'org_2' }));
    await deps.store.connections.saveOAuthConnection(oauth('org_1', 1001), TEST_NOW);
    await expect(deps.store.connections.saveOAuthConnection(oauth('org_2', 1001), TEST_NOW)).rejects.toMatchObject({
      code: 'conflict',
    });
    expect((await deps.store.connections.findByPortal(1001))?.organizationId).toBe('org_1');
  });

  it('a webhook event is stored once per dedup key', () => {
    const db = rawDatabase();
    try {
      const insert = db.prepare(
        `INSERT INTO webhook_inbox (dedup_key, portal_id, subscription_type, occurred_at, payload, next_attempt_at, received_at)
         VALUES ('1001:evt-1', 1001, 'object.propertyChange', 0, '{}', 0, 0)`,
      );
      insert.run();
      expect(() => insert.run()).toThrow(/UNIQUE constraint failed: webhook_inbox.dedup_key/);
    } finally {
      db.close();
    }
  });

  it('a HubSpot message is recorded once per session, and may recur in another session', async () => {
    await seedSession(deps.store);
    await deps.store.sessions.create(aSession({ id: 'ses_2', threadId: 'thread_2' }));
    expect(await deps.store.chatHistory.append(aMessage({ id: 'm1' }))).toBe('inserted');
    expect(await deps.store.chatHistory.append(aMessage({ id: 'm2' }))).toBe('duplicate');
    expect(await deps.store.chatHistory.append(aMessage({ id: 'm3', sessionId: 'ses_2' }))).toBe('inserted');
    // Messages without a HubSpot id (the AI's drafts) never collide.
    expect(await deps.store.chatHistory.append(aMessage({ id: 'm4', hubspotMessageId: null }))).toBe('inserted');
    expect(await deps.store.chatHistory.append(aMessage({ id: 'm5', hubspotMessageId: null }))).toBe('inserted');
    expect((await deps.store.chatHistory.listRecent('ses_1', 10)).map((m) => m.id)).toEqual(['m1', 'm4', 'm5']);
  });

  it('a thread has one session per portal', async () => {
    await seedSession(deps.store);
    await expect(deps.store.sessions.create(aSession({ id: 'ses_2' }))).rejects.toMatchObject({ code: 'conflict' });
    await deps.store.sessions.create(aSession({ id: 'ses_3', threadId: null }));
    await deps.store.sessions.create(aSession({ id: 'ses_4', threadId: null }));
  });

  it('deleting an organization never takes its chat data along', async () => {
    await seedSession(deps.store);
    await deps.store.chatHistory.append(aMessage());
    await deps.store.ticketLinks.link({ portalId: 1001, ticketId: 't1', sessionId: 'ses_1' }, TEST_NOW);

    const db = rawDatabase();
    try {
      expect(() => db.prepare("DELETE FROM organizations WHERE id = 'org_1'").run()).toThrow(/FOREIGN KEY constraint failed/);
      expect(() => db.prepare("DELETE FROM chat_sessions WHERE id = 'ses_1'").run()).toThrow(/FOREIGN KEY constraint failed/);
    } finally {
      db.close();
    }
    expect(await deps.store.organizations.get('org_1')).not.toBeNull();
    expect(await deps.store.sessions.get('ses_1')).not.toBeNull();
    expect(await deps.store.chatHistory.listRecent('ses_1', 10)).toHaveLength(1);
    expect(await deps.store.ticketLinks.listBySession('ses_1')).toHaveLength(1);
  });

  it('rejects values outside the closed sets', () => {
    const db = rawDatabase();
    try {
      expect(() =>
        db.prepare("INSERT INTO organizations (id, name, unassign_policy, created_at) VALUES ('o', 'O', 'sometimes', 0)").run(),
      ).toThrow(/CHECK constraint failed/);
      // STRICT: a string where a number belongs is an error, not a silent coercion.
      expect(() =>
        db.prepare("INSERT INTO organizations (id, name, created_at) VALUES ('o', 'O', 'yesterday')").run(),
      ).toThrow(/cannot store TEXT value in INTEGER column/);
    } finally {
      db.close();
    }
  });
});
