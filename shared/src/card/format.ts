import type { AiStateView, CardStatus } from './contract';

/**
 * Time and status sentences for the AI status card. Pure: the current time and the portal's IANA timezone are
 * arguments, so the same input always gives the same text (and the card holds no formatting of its own).
 */
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** An unknown timezone must not break the card; UTC is wrong by a few hours at worst. */
export const safeTimeZone = (timeZone: string): string => {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone });
    return timeZone;
  } catch {
    return 'UTC';
  }
};

const dayKey = (at: number, timeZone: string) =>
  new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(at);

/** "14:30" in the portal's timezone (24-hour clock, as HubSpot's help desk shows times to agents). */
export const formatClockTime = (at: number, timeZone: string): string =>
  new Intl.DateTimeFormat('en-GB', {
    timeZone: safeTimeZone(timeZone),
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).format(at);

/** "Mar 12" in the portal's timezone. */
export const formatDay = (at: number, timeZone: string): string =>
  new Intl.DateTimeFormat('en-US', { timeZone: safeTimeZone(timeZone), month: 'short', day: 'numeric' }).format(at);

/** "just now", "3 min ago", "2 h ago", "yesterday", "4 days ago", then the date ("on Mar 12"). */
export const formatRelativeTime = (at: number, now: number, timeZone: string): string => {
  const elapsed = Math.max(0, now - at); // a server clock slightly ahead must not say "in 2 s"
  if (elapsed < MINUTE) return 'just now';
  if (elapsed < HOUR) return `${Math.floor(elapsed / MINUTE)} min ago`;
  if (elapsed < DAY) return `${Math.floor(elapsed / HOUR)} h ago`;
  const zone = safeTimeZone(timeZone);
  if (dayKey(at, zone) === dayKey(now - DAY, zone)) return 'yesterday';
  const days = Math.floor(elapsed / DAY);
  return days < 7 ? `${Math.max(days, 2)} days ago` : `on ${formatDay(at, zone)}`;
};

/** When a timed pause ends: "14:30" today, "tomorrow 14:30", else "Mar 12, 14:30" (portal timezone). */
export const formatUntil = (until: number, now: number, timeZone: string): string => {
  const zone = safeTimeZone(timeZone);
  const time = formatClockTime(until, zone);
  if (dayKey(until, zone) === dayKey(now, zone)) return time;
  if (dayKey(until, zone) === dayKey(now + DAY, zone)) return `tomorrow ${time}`;
  return `${formatDay(until, zone)}, ${time}`;
};

type ActorView = Extract<AiStateView, { status: 'paused' }>['by'];

/** A name for the middle of a sentence; the fallback says what kind of actor it was. */
export const actorName = (actor: ActorView): string => {
  const name = actor.name?.trim();
  if (name) return name;
  switch (actor.kind) {
    case 'hubspot_owner':
    case 'hubspot_user':
      return 'an agent';
    case 'workflow':
      return 'a workflow';
    case 'ai':
      return 'OpenCX AI';
    case 'system':
      return 'OpenCX';
    default: {
      const exhaustive: never = actor.kind;
      return String(exhaustive);
    }
  }
};

const pauseCause = (ai: Extract<AiStateView, { status: 'paused' }>): string => {
  const who = actorName(ai.by);
  switch (ai.source) {
    case 'agent_took_ownership':
      return `Paused: ${who} took ownership`;
    case 'agent_replied':
      return `Paused: ${who} replied to the customer`;
    case 'legacy_owner_check':
      return `Paused: ${who} owns this ticket`;
    case 'workflow':
      return ai.by.name?.trim() ? `Paused by workflow "${ai.by.name.trim()}"` : 'Paused by workflow';
    case 'card':
      return `Paused by ${who}`;
    default: {
      const exhaustive: never = ai.source;
      return String(exhaustive);
    }
  }
};

export interface AiStateDescription {
  /** Why, by whom and since or until when: "Paused: Jane took ownership, 3 min ago". */
  headline: string;
  /** "Reason: …" when a reason was given. */
  reason: string | null;
}

export const describeAiState = (ai: AiStateView, now: number, timeZone: string): AiStateDescription => {
  switch (ai.status) {
    case 'active':
      return {
        headline:
          ai.since === null
            ? 'OpenCX AI answers this conversation'
            : `OpenCX AI answers this conversation, resumed ${formatRelativeTime(ai.since, now, timeZone)}`,
        reason: null,
      };
    case 'paused': {
      const when = ai.until === null
        ? `, ${formatRelativeTime(ai.since, now, timeZone)}`
        : ` until ${formatUntil(ai.until, now, timeZone)}`;
      return { headline: `${pauseCause(ai)}${when}`, reason: ai.reason ? `Reason: ${ai.reason}` : null };
    }
    case 'handoff_requested':
      return {
        headline: `Handoff requested by ${actorName(ai.requestedBy)}, ${formatRelativeTime(ai.since, now, timeZone)}`,
        reason: ai.reason ? `Reason: ${ai.reason}` : null,
      };
    default: {
      const exhaustive: never = ai;
      throw new Error(`unknown AI state ${JSON.stringify(exhaustive)}`);
    }
  }
};

/** The card shows at most this much of the last reply; the full text is in the conversation. */
export const LAST_REPLY_MAX_CHARS = 280;

type LastAiReply = Extract<CardStatus, { view: 'status' }>['lastAiReply'];

export const describeLastAiReply = (
  reply: LastAiReply,
  now: number,
  timeZone: string,
): { text: string; when: string } | null => {
  if (!reply) return null;
  const text = reply.text.trim();
  return {
    text: text.length > LAST_REPLY_MAX_CHARS ? `${text.slice(0, LAST_REPLY_MAX_CHARS - 1).trimEnd()}…` : text,
    when: formatRelativeTime(reply.at, now, timeZone),
  };
};
