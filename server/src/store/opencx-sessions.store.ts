import type { Timestamp } from '@opencx/shared';

/** The OpenCX session that carries one of our chat sessions (a HubSpot conversation). */
export interface OpenCxSessionLink {
  sessionId: string;
  organizationId: string;
  opencxSessionId: string;
  /** The time of the latest customer message sent to OpenCX: later ones are still to send. */
  forwardedUntil: Timestamp;
  /** OpenCX handed the session to a person, or an agent took it over: the AI no longer answers in it. */
  handedOffAt: Timestamp | null;
  closedAt: Timestamp | null;
}

export interface OpenCxSessionsStore {
  get(sessionId: string): Promise<OpenCxSessionLink | null>;
  /**
   * Links the session to an OpenCX session unless it already is: two workers racing both end with the first
   * link. `replace` links it to a new OpenCX session (the old one is gone, e.g. OpenCX answered 404, or the AI
   * is asked again after a handoff): marks and forwarding position are kept.
   */
  link(input: { sessionId: string; organizationId: string; opencxSessionId: string; replace?: boolean }, now: Timestamp): Promise<OpenCxSessionLink>;
  /** Never moves backwards, so a slow worker cannot make a message look unsent again. */
  markForwarded(sessionId: string, until: Timestamp, now: Timestamp): Promise<void>;
  markHandedOff(sessionId: string, now: Timestamp): Promise<void>;
  markClosed(sessionId: string, now: Timestamp): Promise<void>;
}

export interface OpenCxSessionRow {
  session_id: string;
  organization_id: string;
  opencx_session_id: string;
  forwarded_until: number | string;
  handed_off_at: number | string | null;
  closed_at: number | string | null;
}

export const linkOf = (row: OpenCxSessionRow): OpenCxSessionLink => ({
  sessionId: row.session_id,
  organizationId: row.organization_id,
  opencxSessionId: row.opencx_session_id,
  forwardedUntil: Number(row.forwarded_until),
  handedOffAt: row.handed_off_at === null ? null : Number(row.handed_off_at),
  closedAt: row.closed_at === null ? null : Number(row.closed_at),
});
