// The OpenCX card as agents see it: the real card component (hubspot-project/app/cards) rendered by the sandbox's
// card host beside the help-desk view, its hubspot.fetch signed by the sandbox and answered by the real server.
// An owner change in the help desk turns the card to Paused without a reload; Resume on the card turns it back.
// Screenshots go to test-artifacts/browser/card/.
import { describe, expect, it } from 'vitest';
import { connectPortalOverOAuth } from '../support/connected-portal';
import { artifactsDir, inPage, skipBrowserTests, useBrowserAndStack } from '../support/chromium';

const ARTIFACTS = artifactsDir('card');
const PORTAL = 62515;
const JANE = { userId: 9586504, ownerId: '52550153' };

describe.skipIf(skipBrowserTests)('the OpenCX card in the sandbox help desk', () => {
  const setup = useBrowserAndStack({ start: { workers: { inbox: { pollIntervalMs: 20 }, effects: { pollIntervalMs: 20 } } } });

  it('shows Active, turns Paused on an owner change without a reload, and Resume on the card turns it back', async () => {
    const s = setup.stack;
    // The AI posts as a dedicated HubSpot user, as in production, so that Jane taking the ticket is a human takeover.
    const bot = s.sandbox.control.createUser({ portalId: PORTAL, email: 'ai@demo-helpdesk.example.com', firstName: 'OpenCX', lastName: 'AI' });
    await connectPortalOverOAuth(s, { portalId: PORTAL, userId: bot.userId });
    const thread = s.sandbox.control.createThread({ portalId: PORTAL, contactId: '101', text: 'Where is my order?' });
    const ticket = s.sandbox.control.createTicket({ portalId: PORTAL, subject: 'Where is my order?', contactId: '101', threadId: thread.id });
    const aiReplied = () => s.sandbox.state.portals[String(PORTAL)]!.threads[thread.id]!.messages.some((m) => m.client.clientType === 'INTEGRATION');
    await expect.poll(aiReplied, { timeout: 15_000 }).toBe(true);

    await inPage(setup.browser, { artifacts: ARTIFACTS, width: 1400, height: 900 }, async (page) => {
      page.setDefaultTimeout(15_000);
      const errors: string[] = [];
      page.on('pageerror', (error) => errors.push(error.message));
      await page.goto(`${s.sandboxUrl}/helpdesk?portalId=${PORTAL}&ticketId=${ticket.id}&viewer=${JANE.userId}`);
      const card = page.frameLocator('[data-testid="card-frame"]');
      await card.getByTestId('ai-status').waitFor();
      expect(await card.getByTestId('ai-status').textContent()).toBe('Active');
      expect(await card.getByTestId('viewer').textContent()).toBe('Jane Agent');
      // Both the page and the card listen to the sandbox before anything changes.
      await page.locator('body[data-live="connected"]').waitFor();
      await card.locator('body[data-live="connected"]').waitFor();
      const frame = page.frames().find((f) => f.url().includes('/_sandbox/card?'))!;
      // Marks on both documents: a reload of either would drop them.
      await page.evaluate('window.__notReloaded = true');
      await frame.evaluate('window.__notReloaded = true');
      await page.screenshot({ path: `${ARTIFACTS}1-active.png`, fullPage: true });

      // Jane takes the ticket in the help desk: the backend pauses the AI and writes the ticket's AI status.
      await page.getByTestId('owner-select').selectOption(JANE.ownerId);
      await page.getByTestId('set-owner-submit').click();
      await expect.poll(() => card.getByTestId('ai-status').textContent(), { timeout: 15_000 }).toBe('Paused');
      expect(await card.getByTestId('ai-headline').textContent()).toContain('Jane Agent');
      await expect.poll(() => page.getByTestId('ticket-owner').textContent()).toBe('Jane Agent');
      await expect.poll(() => page.getByTestId('ticket-property-opencx_ai_status').textContent()).toBe('Paused');
      await page.screenshot({ path: `${ARTIFACTS}2-paused-after-owner-change.png`, fullPage: true });

      // Resume on the card: the signed request reaches the server and the card shows Active again.
      const fetchesBefore = s.sandbox.state.cardFetches.length;
      await card.getByTestId('action-resume').click();
      await expect.poll(() => card.getByTestId('ai-status').textContent(), { timeout: 15_000 }).toBe('Active');
      const resume = s.sandbox.state.cardFetches.slice(fetchesBefore).find((f) => f.method === 'POST')!;
      expect(resume).toMatchObject({ status: 200, userId: JANE.userId, headers: { 'X-HubSpot-Signature-Version': 'v2' } });
      expect(resume.headers['X-HubSpot-Signature-v3']).toBeTruthy();
      await expect.poll(() => page.getByTestId('ticket-property-opencx_ai_status').textContent()).toBe('Active');
      await page.screenshot({ path: `${ARTIFACTS}3-resumed-from-card.png`, fullPage: true });

      expect(await page.evaluate('window.__notReloaded')).toBe(true);
      expect(await frame.evaluate('window.__notReloaded')).toBe(true);
      expect(errors).toEqual([]);
    });
  }, 90_000);
});
