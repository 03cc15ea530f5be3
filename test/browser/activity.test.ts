// The activity view in a real browser: the organization's conversations with their AI state, and one conversation's
// story (customer message, AI reply, an agent's takeover and reply) as the admin reads it. Screenshots go to
// test-artifacts/browser/activity/.
import { addAdmin, createOrganizationWithAdmin, issueSignInLink } from '@opencx/server/admin/provision';
import { describe, expect, it } from 'vitest';
import { connectPortalOverOAuth } from '../support/connected-portal';
import { artifactsDir, inPage, skipBrowserTests, useBrowserAndStack } from '../support/chromium';
import { waitUntilSettled } from '../support/settled';

const ARTIFACTS = artifactsDir('activity');
const PORTAL = 62515;
const JANE = { userId: 9586504, ownerId: '52550153' };

describe.skipIf(skipBrowserTests)('the activity view', () => {
  const setup = useBrowserAndStack({ start: { workers: { inbox: { pollIntervalMs: 20 }, effects: { pollIntervalMs: 20 } } } });

  it("shows a conversation's full story, escaped, and only to its own organization", async () => {
    const s = setup.stack;
    const deps = s.server.deps;
    const bot = s.sandbox.control.createUser({ portalId: PORTAL, email: 'ai@demo-helpdesk.example.com', firstName: 'OpenCX', lastName: 'AI' });
    const { organization } = await connectPortalOverOAuth(s, { portalId: PORTAL, userId: bot.userId, aiUserId: bot.userId });
    const admin = await addAdmin(deps, { organizationId: organization.id, email: 'owner@acme.test' });

    // The customer writes (with markup, which must be shown as text), the AI answers.
    const thread = s.sandbox.control.createThread({ portalId: PORTAL, contactId: '101', text: 'Where is my order? <img src=x onerror="window.__xss=1">' });
    const ticket = s.sandbox.control.createTicket({ portalId: PORTAL, subject: 'Order', contactId: '101', threadId: thread.id });
    const aiReplied = () => s.sandbox.state.portals[String(PORTAL)]!.threads[thread.id]!.messages.some((m) => m.client.clientType === 'INTEGRATION');
    await expect.poll(aiReplied, { timeout: 15_000 }).toBe(true);
    // Jane takes the ticket (the AI pauses), then answers the customer herself.
    s.sandbox.control.setTicketOwner({ portalId: PORTAL, ticketId: ticket.id, ownerId: JANE.ownerId });
    await waitUntilSettled(s);
    s.sandbox.control.postAgentMessage({ portalId: PORTAL, threadId: thread.id, userId: JANE.userId, text: 'Hi, Jane here: it ships today.' });
    await waitUntilSettled(s);
    const session = (await deps.store.sessions.findByThread(PORTAL, thread.id))!;
    await expect.poll(async () => (await deps.store.chatHistory.listRecent(session.id, 10)).map((m) => m.role), { timeout: 10_000 })
      .toEqual(['customer', 'ai', 'agent']);

    // Another organization, with a conversation of its own on another portal.
    const other = await createOrganizationWithAdmin(deps, { organizationName: 'Other Co', adminEmail: 'other@other.test' });
    await deps.store.sessions.create({
      id: 'ses_other', organizationId: other.organization.id, portalId: 99999, threadId: '1', contactId: null, channel: 'chat', status: 'open',
      createdAt: deps.clock.now(), updatedAt: deps.clock.now(),
    });

    const link = await issueSignInLink(deps, admin.id);
    await inPage(setup.browser, { artifacts: ARTIFACTS, width: 1200, height: 900 }, async (page) => {
      page.setDefaultTimeout(10_000);
      const cspViolations: string[] = [];
      page.on('console', (message) => {
        if (/Content Security Policy/i.test(message.text())) cspViolations.push(message.text());
      });
      await page.goto(link.url);
      await page.getByTestId('sign-in-button').click();
      await page.waitForURL(`${s.serverUrl}/settings/integrations/hubspot`);

      // Settings → Activity: the conversation, paused.
      await page.getByTestId('activity-link').click();
      await page.waitForURL(`${s.serverUrl}/settings/integrations/hubspot/activity`);
      const rows = page.getByTestId('conversation');
      expect(await rows.count()).toBe(1);
      expect(await rows.first().getAttribute('data-ai-status')).toBe('paused');
      expect(await rows.first().getByTestId('conversation-ai-status').textContent()).toBe('AI paused');
      await page.screenshot({ path: `${ARTIFACTS}1-list.png`, fullPage: true });

      // The timeline: customer, AI, the pause by Jane's takeover, Jane's message (now the pause's cause), in order.
      await rows.first().getByRole('link').click();
      await page.waitForURL(`${s.serverUrl}/settings/integrations/hubspot/activity/${session.id}`);
      expect(await page.getByTestId('timeline-ai-status').textContent()).toBe('AI paused');
      const entries = page.getByTestId('timeline-entry');
      const story = await entries.evaluateAll((els) => els.map((e) => [e.getAttribute('data-kind'), e.getAttribute('data-role') ?? e.getAttribute('data-event')]));
      expect(story).toEqual([
        ['message', 'customer'],
        ['message', 'ai'],
        ['ai_event', 'ai_paused'],
        ['message', 'agent'],
        ['ai_event', 'pause_cause_changed'],
      ]);
      const texts = await page.getByTestId('message-text').allTextContents();
      expect(texts[0]).toBe('Where is my order? <img src=x onerror="window.__xss=1">');
      expect(texts[1]).toMatch(/tracking link/);
      expect(texts[2]).toBe('Hi, Jane here: it ships today.');
      expect(await page.locator('[data-testid="event-actor"]').allTextContents()).toEqual(['Jane Agent', 'Jane Agent']);
      expect(await page.evaluate('window.__xss')).toBeUndefined();
      expect(await page.locator('img').count()).toBe(0);
      await page.screenshot({ path: `${ARTIFACTS}2-timeline.png`, fullPage: true });

      // Another organization's conversation is not found, nor is a made-up one.
      for (const id of ['ses_other', 'ses_missing']) {
        const response = await page.goto(`${s.serverUrl}/settings/integrations/hubspot/activity/${id}`);
        expect(response?.status()).toBe(404);
      }
      // Past the last page: nothing, and a way back.
      await page.goto(`${s.serverUrl}/settings/integrations/hubspot/activity?page=2`);
      expect(await page.getByTestId('no-conversations').isVisible()).toBe(true);
      expect(await page.getByTestId('previous-page').isVisible()).toBe(true);
      expect(cspViolations).toEqual([]);
    });
  });
});
