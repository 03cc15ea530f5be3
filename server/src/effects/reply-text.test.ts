import { describe, expect, it } from 'vitest';
import { buildHandoffNote } from './handoff-note';
import { composeReplyText, replySubject, toRichText } from './reply-text';

const signature = { organizationId: 'o', enabled: true, text: '  — Acme Support\nacme.example.com ', updatedAt: 0 };

describe('reply text', () => {
  it.each([
    ['email, signature on', 'email', signature, 'Hi!\n\n— Acme Support\nacme.example.com'],
    ['email, signature off', 'email', { ...signature, enabled: false }, 'Hi!'],
    ['email, empty signature', 'email', { ...signature, text: '  ' }, 'Hi!'],
    ['email, none saved', 'email', null, 'Hi!'],
    ['chat', 'chat', signature, 'Hi!'],
  ] as const)('%s', (_name, channel, settings, expected) => {
    expect(composeReplyText(' Hi! ', channel, settings)).toBe(expected);
  });

  it('turns text into escaped paragraphs and line breaks', () => {
    expect(toRichText('a < b & c\nnext\n\nsecond "p"')).toBe('<p>a &lt; b &amp; c<br>next</p><p>second &quot;p&quot;</p><!-- OpenCX-AI-Response -->');
  });

  it.each([
    ['Order 1234', 'Re: Order 1234'],
    ['RE: Order 1234', 'RE: Order 1234'],
    [undefined, 'Re: Your message'],
  ])('subject %s → %s', (subject, expected) => {
    expect(replySubject(subject)).toBe(expected);
  });
});

describe('handoff note', () => {
  const at = Date.UTC(2026, 0, 15, 10, 0);
  const message = (role: 'customer' | 'ai', text: string, erasedAt: number | null = null) =>
    ({ id: text, sessionId: 's', role, text, hubspotMessageId: null, createdAt: at, erasedAt });

  it('says why, who asked and shows the escaped transcript; erased messages stay erased', () => {
    const html = buildHandoffNote({
      reason: 'Refund > $100',
      requestedBy: { kind: 'workflow', id: '42', name: null },
      history: [message('customer', 'I want <b>my money</b>'), message('ai', 'One moment'), message('customer', 'secret', at)],
    });
    expect(html).toBe(
      '<p><strong>OpenCX AI handoff requested</strong></p><p>Reason: Refund &gt; $100</p><p>Requested by: Workflow 42</p>' +
        '<p><strong>Conversation</strong></p><ul>' +
        '<li><strong>Customer</strong> (2026-01-15 10:00 UTC): I want &lt;b&gt;my money&lt;/b&gt;</li>' +
        '<li><strong>OpenCX AI</strong> (2026-01-15 10:00 UTC): One moment</li>' +
        '<li><strong>Customer</strong> (2026-01-15 10:00 UTC): <em>(erased)</em></li></ul>',
    );
  });

  it('shows the last 30 messages and says how many are left out', () => {
    const history = Array.from({ length: 32 }, (_, i) => message('customer', `m${i}`));
    const html = buildHandoffNote({ reason: 'r', requestedBy: { kind: 'ai', id: null, name: 'OpenCX AI' }, history });
    expect(html).toContain('2 earlier message(s) not shown.');
    expect(html).not.toContain('): m1<');
    expect(html).toContain('): m31<');
  });
});
