// The marker OpenCX puts on its handoff comment in a HubSpot conversation (docs/handoff-and-sync.md, "Handoff"),
// so agents and searches recognise it whatever integration wrote it.
export const HANDOFF_MARKER = '🔄 AI decided to handoff';

const escapeHtml = (text: string): string =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** The internal comment (`COMMENT`, never shown to the customer): the marker, the reason, and what the AI detected. */
export function handoffComment(input: { reason: string; sentiment?: string | undefined; language?: string | undefined }): { text: string; richText: string } {
  const lines: [string, string][] = [['Reason', input.reason]];
  if (input.sentiment) lines.push(['Sentiment', input.sentiment]);
  if (input.language) lines.push(['Language', input.language]);
  return {
    text: [HANDOFF_MARKER, ...lines.map(([k, v]) => `${k}: ${v}`)].join('\n'),
    richText: [`<p>${HANDOFF_MARKER}</p>`, ...lines.map(([k, v]) => `<p><strong>${k}:</strong> ${escapeHtml(v)}</p>`)].join(''),
  };
}
