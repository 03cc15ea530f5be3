// The stand-in's in-memory state: keys, sessions and every request it answered (for assertions).
import type { CreateSessionBody } from './schemas';

/** `full`: a full-access key; a list: a custom-scoped key (docs/opencx-api.md §1). */
export type KeyGrant = 'full' | readonly string[];

/** What the scripted AI does with one customer message. */
export type ScriptedAnswer = { text: string } | { handoff: true; text?: string } | { error: string };

export interface OpenCxSessionMessage {
  sender: 'contact' | 'agent' | 'ai';
  text: string;
  agent?: { id: number; name: string };
  at: number;
}

export interface OpenCxSandboxSession {
  id: string;
  /** Sessions belong to the key (the OpenCX organization) that created them; other keys get a 404. */
  key: string;
  status: 'open' | 'closed_resolved' | 'closed_unresolved';
  channel: { type: string };
  contact: CreateSessionBody['contact'] | null;
  contactId: string | null;
  customData: Record<string, string | number | boolean>;
  /** The AI handed the session to a person (its own decision). */
  handedOff: boolean;
  /** An agent message with should_take_over_session_from_ai took it. */
  takenOver: boolean;
  messages: OpenCxSessionMessage[];
  createdAt: number;
  updatedAt: number;
}

export interface RecordedRequest {
  method: string;
  path: string;
  /** Only the last 4 characters of the bearer key, like a log would show; null without one. */
  keyEnding: string | null;
  body: unknown;
  status: number;
  at: number;
}

export interface InjectedFault {
  status: number;
  /** Requests it still applies to. */
  times: number;
  /** Only requests whose path ends like this (e.g. `/send`); every request when absent. */
  pathEndsWith?: string;
  retryAfterSeconds?: number;
}

export interface OpenCxSandboxState {
  keys: Map<string, KeyGrant>;
  sessions: Map<string, OpenCxSandboxSession>;
  requests: RecordedRequest[];
  faults: InjectedFault[];
  /** Grant times per key, for the rolling one-minute rate limit. */
  windows: Map<string, number[]>;
  /** Both response shapes are documented (docs/opencx-api.md §3): newest `data`-wrapped, older bare. */
  shape: 'data' | 'bare';
  rules: { match: RegExp; answer: ScriptedAnswer }[];
}
