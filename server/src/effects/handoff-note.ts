import type { Actor, ChatMessage, ChatRole } from '@opencx/shared';

const ROLE_LABELS: Record<ChatRole, string> = { customer: 'Customer', ai: 'OpenCX AI', agent: 'Agent', system: 'System' };
const MAX_MESSAGES = 30;
const MAX_MESSAGE_CHARS = 2_000;

const escapeHtml = (text: string): string =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

const clip = (text: string) => (text.length > MAX_MESSAGE_CHARS ? `${text.slice(0, MAX_MESSAGE_CHARS)}…` : text);

const actorLabel = (actor: Actor): string =>
  actor.name ?? (actor.kind === 'workflow' ? `Workflow ${actor.id ?? ''}`.trim() : actor.kind === 'ai' ? 'OpenCX AI' : (actor.id ?? actor.kind));

const at = (ms: number): string => `${new Date(ms).toISOString().slice(0, 16).replace('T', ' ')} UTC`;

/**
 * The note written on the ticket when a handoff is requested: why, by whom, and the conversation so far, so the
 * agent who picks the ticket up needs nothing else. HTML (hs_note_body), every value escaped; erased messages
 * are shown as such.
 */
export function buildHandoffNote(input: { reason: string; requestedBy: Actor; history: readonly ChatMessage[] }): string {
  const shown = input.history.slice(-MAX_MESSAGES);
  const omitted = input.history.length - shown.length;
  const lines = shown.map((m) => {
    const text = m.erasedAt !== null ? '<em>(erased)</em>' : escapeHtml(clip(m.text)).replace(/\n/g, '<br>');
    return `<li><strong>${ROLE_LABELS[m.role]}</strong> (${at(m.createdAt)}): ${text}</li>`;
  });
  return [
    '<p><strong>OpenCX AI handoff requested</strong></p>',
    `<p>Reason: ${escapeHtml(input.reason)}</p>`,
    `<p>Requested by: ${escapeHtml(actorLabel(input.requestedBy))}</p>`,
    '<p><strong>Conversation</strong></p>',
    shown.length === 0
      ? '<p><em>No messages yet.</em></p>'
      : `${omitted > 0 ? `<p><em>${omitted} earlier message(s) not shown.</em></p>` : ''}<ul>${lines.join('')}</ul>`,
  ].join('');
}
