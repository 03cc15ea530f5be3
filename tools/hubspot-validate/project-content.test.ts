import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// What this product needs from its HubSpot project, beyond format validity: the local sandbox and the server
// rely on these exact files, uids, URLs and subscriptions.
const root = fileURLToPath(new URL('../..', import.meta.url));
const json = (rel: string) => JSON.parse(readFileSync(`${root}/${rel}`, 'utf8'));
const app = 'hubspot-project/app';

describe('the OpenCX HubSpot project', () => {
  it('is one marketplace OAuth app whose URLs all come from BACKEND_URL', () => {
    expect(json('hsproject.json')).toEqual({ name: 'opencx-hubspot', srcDir: 'hubspot-project', platformVersion: '2025.2' });
    const { uid, config } = json(`${app}/app-hsmeta.json`);
    expect(uid).toBe('opencx_app');
    expect(config).toMatchObject({ name: 'OpenCX', distribution: 'marketplace', auth: { type: 'oauth' } });
    expect(config.auth.redirectUrls).toEqual(['${BACKEND_URL}/oauth/callback']);
    expect(config.permittedUrls.fetch).toEqual(['${BACKEND_URL}']);
    expect([...config.auth.requiredScopes].sort()).toEqual(
      ['oauth', 'tickets', 'conversations.read', 'conversations.write', 'crm.objects.owners.read', 'crm.objects.contacts.read', 'crm.objects.contacts.write', 'automation'].sort(),
    );
  });

  it.each([
    { profile: 'local', url: 'http://127.0.0.1:3000', publish: false },
    { profile: 'dev', url: 'https://opencx-dev-tunnel.example.com', publish: false },
    { profile: 'production', url: 'https://opencx-hubspot.example.com', publish: true },
  ])('has the $profile profile with BACKEND_URL $url and PUBLISH_ACTIONS $publish', ({ profile, url, publish }) => {
    const { accountId, variables } = json(`hubspot-project/hsprofile.${profile}.json`);
    expect(variables).toEqual({ BACKEND_URL: url, PUBLISH_ACTIONS: publish });
    expect(accountId).toBe(0); // local: never uploadable; dev and production: filled in by whoever uploads
  });

  it('publishes the four workflow actions through the profile: "isPublished" is exactly "${PUBLISH_ACTIONS}"', () => {
    for (const name of ['pause-ai', 'resume-ai', 'send-to-ai', 'request-handoff']) {
      expect(json(`${app}/workflow-actions/${name}-hsmeta.json`).config.isPublished).toBe('${PUBLISH_ACTIONS}');
    }
  });

  it('subscribes the one webhooks component to the events the server handles', () => {
    const { config } = json(`${app}/webhooks/webhooks-hsmeta.json`);
    expect(config.settings).toEqual({ targetUrl: '${BACKEND_URL}/hubspot/webhooks', maxConcurrentRequests: 10 });
    const key = (s: { subscriptionType: string; objectType?: string; propertyName?: string }) =>
      [s.subscriptionType, s.objectType, s.propertyName].filter(Boolean).join(' ');
    expect(config.subscriptions.crmObjects.map(key).sort()).toEqual(
      ['object.creation ticket', 'object.deletion ticket', 'object.propertyChange ticket hubspot_owner_id'].sort(),
    );
    expect(config.subscriptions.hubEvents.map(key).sort()).toEqual(
      [
        'conversation.creation',
        'conversation.deletion',
        'conversation.privacyDeletion',
        'conversation.newMessage',
        'conversation.propertyChange assignedTo',
        'contact.privacyDeletion',
      ].sort(),
    );
    expect([...config.subscriptions.crmObjects, ...config.subscriptions.hubEvents].every((s) => s.active === true)).toBe(true);
  });

  it('shows the AI status card on the ticket record and in the help desk, from one entrypoint', () => {
    const record = json(`${app}/cards/ai-status-card-hsmeta.json`).config;
    const helpdesk = json(`${app}/cards/ai-status-helpdesk-hsmeta.json`).config;
    expect([record.location, record.objectTypes]).toEqual(['crm.record.sidebar', ['tickets']]);
    expect([helpdesk.location, helpdesk.objectTypes]).toEqual(['helpdesk.sidebar', ['tickets']]);
    expect(helpdesk.entrypoint).toBe(record.entrypoint);
  });
});
