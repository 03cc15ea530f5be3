import { AI_REPLY_MARKER } from '../sync/message-author';
import type { ChatChannel, SignatureSettings } from '@opencx/shared';

/** The organization's signature closes AI replies on email threads (never on chat, where it would be noise). */
export function composeReplyText(answer: string, channel: ChatChannel, signature: SignatureSettings | null): string {
  const body = answer.trim();
  const closing = signature?.enabled ? signature.text.trim() : '';
  return channel === 'email' && closing !== '' ? `${body}\n\n${closing}` : body;
}

const escapeHtml = (text: string): string =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** Plain text as HTML: blank lines make paragraphs, single newlines line breaks; everything escaped. */
export function toRichText(text: string): string {
  const html = text
    .split(/\n{2,}/)
    .map((paragraph) => `<p>${escapeHtml(paragraph).replace(/\n/g, '<br>')}</p>`)
    .join('');
  return `${html}${AI_REPLY_MARKER}`;
}

/** "Re: <subject>" for an email reply, without stacking "Re: Re:". */
export function replySubject(subject: string | undefined | null): string {
  const s = subject?.trim() || 'Your message';
  return /^re:/i.test(s) ? s : `Re: ${s}`;
}
