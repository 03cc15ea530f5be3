/** @jsxRuntime automatic @jsxImportSource hono/jsx */
import type { AiAuditEvent, AiStatus, ChatRole } from '@opencx/shared';
import type { FC } from 'hono/jsx';
import { actorLabel, type ConversationPage, type ConversationTimeline, type TimelineEntry } from '../operate/activity';
import { Layout } from './layout';
import { formatTime } from './parts';

export const ACTIVITY_PATH = '/settings/integrations/hubspot/activity';

const AI_STATUS_LABELS: Record<AiStatus, string> = { active: 'AI active', paused: 'AI paused', handoff_requested: 'Handed off to a person' };
const ROLE_LABELS: Record<ChatRole, string> = { customer: 'Customer', ai: 'AI', agent: 'Agent', system: 'System' };
const EVENT_LABELS: Record<AiAuditEvent['type'], string> = {
  ai_paused: 'AI paused',
  ai_resumed: 'AI resumed',
  pause_cause_changed: 'Pause cause changed',
  handoff_requested: 'Handoff to a person requested',
  handoff_suppressed: 'Handoff already requested (not repeated)',
  sent_to_ai: 'Sent to the AI',
  personal_data_erased: 'Personal data erased',
};

interface Chrome {
  adminEmail: string;
  organizationName: string;
  csrfToken: string;
}

const Crumbs: FC<{ here: string; viaList?: boolean }> = (p) => (
  <nav class="crumbs" aria-label="Breadcrumb">
    <a href="/settings/integrations/hubspot">Settings → Integrations → HubSpot</a> →{' '}
    {p.viaList ? (
      <>
        <a href={ACTIVITY_PATH}>Activity</a> → {p.here}
      </>
    ) : (
      p.here
    )}
  </nav>
);

const conversationName = (s: { threadId: string | null; id: string }) => (s.threadId ? `Conversation ${s.threadId}` : `Session ${s.id}`);

/** The organization's recent conversations with their AI state, newest activity first, a page at a time. */
export const ActivityListPage: FC<Chrome & { list: ConversationPage }> = (p) => (
  <Layout title="Activity · HubSpot · OpenCX" signedInAs={{ email: p.adminEmail, organizationName: p.organizationName, csrfToken: p.csrfToken }}>
    <Crumbs here="Activity" />
    <h1>Activity</h1>
    {p.list.conversations.length === 0 ? (
      <p data-testid="no-conversations">No conversations{p.list.page > 1 ? ' on this page' : ' yet'}.</p>
    ) : (
      <ul class="card" data-testid="conversations">
        {p.list.conversations.map((c) => (
          <li data-testid="conversation" data-session-id={c.session.id} data-ai-status={c.aiStatus}>
            <a href={`${ACTIVITY_PATH}/${encodeURIComponent(c.session.id)}`}>{conversationName(c.session)}</a>{' '}
            <strong data-testid="conversation-ai-status">{AI_STATUS_LABELS[c.aiStatus]}</strong>{' '}
            <span class="muted">
              {c.session.channel} · {c.session.status} · last activity {formatTime(c.session.updatedAt)}
            </span>
            {c.lastMessage ? (
              <>
                <br />
                <span class="muted">
                  {ROLE_LABELS[c.lastMessage.role]}: {c.lastMessage.erasedAt ? '(erased)' : c.lastMessage.text.slice(0, 140)}
                </span>
              </>
            ) : null}
          </li>
        ))}
      </ul>
    )}
    <nav aria-label="Pages" data-testid="pages">
      {p.list.page > 1 ? <a href={`${ACTIVITY_PATH}?page=${p.list.page - 1}`} data-testid="previous-page">← Newer</a> : null}{' '}
      {p.list.hasMore ? <a href={`${ACTIVITY_PATH}?page=${p.list.page + 1}`} data-testid="next-page">Older →</a> : null}
    </nav>
  </Layout>
);

const Entry: FC<{ entry: TimelineEntry }> = ({ entry }) => {
  switch (entry.kind) {
    case 'message':
      return (
        <li data-testid="timeline-entry" data-kind="message" data-role={entry.message.role}>
          <span class="muted">{formatTime(entry.at)}</span> <strong>{ROLE_LABELS[entry.message.role]}</strong>:{' '}
          <span data-testid="message-text">{entry.message.erasedAt ? '(erased)' : entry.message.text}</span>
        </li>
      );
    case 'ai_event': {
      const reason = entry.event.detail['reason'];
      return (
        <li data-testid="timeline-entry" data-kind="ai_event" data-event={entry.event.type}>
          <span class="muted">{formatTime(entry.at)}</span> <strong>{EVENT_LABELS[entry.event.type]}</strong> by{' '}
          <span data-testid="event-actor">{actorLabel(entry.event.actor)}</span>
          {typeof reason === 'string' && reason ? <span class="muted"> ({reason})</span> : null}
        </li>
      );
    }
    case 'failed_effect':
      return (
        <li data-testid="timeline-entry" data-kind="failed_effect">
          <span class="muted">{formatTime(entry.at)}</span> <strong>Write to HubSpot failed: {entry.failure.what}</strong>{' '}
          <span class="muted">
            ({entry.failure.attempts} attempt{entry.failure.attempts === 1 ? '' : 's'}) {entry.failure.lastError ?? ''}
          </span>
        </li>
      );
  }
};

/** One conversation's story: messages, AI state changes and who caused them, handoffs, failed writes. */
export const ConversationTimelinePage: FC<Chrome & { timeline: ConversationTimeline }> = (p) => (
  <Layout title="Conversation · Activity · OpenCX" signedInAs={{ email: p.adminEmail, organizationName: p.organizationName, csrfToken: p.csrfToken }}>
    <Crumbs here={conversationName(p.timeline.session)} viaList />
    <h1>{conversationName(p.timeline.session)}</h1>
    <p>
      <strong data-testid="timeline-ai-status" data-ai-status={p.timeline.aiStatus}>
        {AI_STATUS_LABELS[p.timeline.aiStatus]}
      </strong>{' '}
      <span class="muted">
        Portal {p.timeline.session.portalId} · {p.timeline.session.channel} · {p.timeline.session.status} · started{' '}
        {formatTime(p.timeline.session.createdAt)}
      </span>
    </p>
    {p.timeline.entries.length === 0 ? (
      <p data-testid="empty-timeline">Nothing recorded yet.</p>
    ) : (
      <ol class="card" data-testid="timeline">
        {p.timeline.entries.map((entry) => (
          <Entry entry={entry} />
        ))}
      </ol>
    )}
  </Layout>
);
