import { describe, expect, it } from 'vitest';
import type { AiStateView } from './contract';
import {
  describeAiState,
  describeLastAiReply,
  formatClockTime,
  formatRelativeTime,
  formatUntil,
  safeTimeZone,
} from './format';

// 2025-03-12 12:00 in New York (UTC-4 since the DST change on March 9).
const NOW = Date.parse('2025-03-12T16:00:00Z');
const NY = 'America/New_York';
const min = (n: number) => n * 60_000;
const hours = (n: number) => min(60 * n);

describe('formatRelativeTime', () => {
  it.each([
    { ago: 0, then: 'just now' },
    { ago: 59_000, then: 'just now' },
    { ago: -30_000, then: 'just now' },
    { ago: min(1), then: '1 min ago' },
    { ago: min(3), then: '3 min ago' },
    { ago: min(59), then: '59 min ago' },
    { ago: hours(1), then: '1 h ago' },
    { ago: hours(11), then: '11 h ago' },
    { ago: hours(24), then: 'yesterday' },
    { ago: hours(40), then: '2 days ago' },
    { ago: hours(24 * 6), then: '6 days ago' },
    { ago: hours(24 * 8), then: 'on Mar 4' },
  ])('$ago ms ago → $then', ({ ago, then }) => {
    expect(formatRelativeTime(NOW - ago, NOW, NY)).toBe(then);
  });
});

describe('clock times in the portal timezone', () => {
  it.each([
    { at: '2025-03-12T18:30:00Z', zone: NY, clock: '14:30', until: '14:30' },
    { at: '2025-03-12T18:30:00Z', zone: 'Europe/Berlin', clock: '19:30', until: '19:30' },
    { at: '2025-03-12T18:30:00Z', zone: 'Asia/Tokyo', clock: '03:30', until: '03:30' }, // it is already the 13th in Tokyo,
    { at: '2025-03-13T13:05:00Z', zone: NY, clock: '09:05', until: 'tomorrow 09:05' },
    { at: '2025-03-20T02:00:00Z', zone: NY, clock: '22:00', until: 'Mar 19, 22:00' },
    { at: '2025-03-12T18:30:00Z', zone: 'Not/AZone', clock: '18:30', until: '18:30' },
  ])('$at in $zone → $clock, until $until', ({ at, zone, clock, until }) => {
    expect(formatClockTime(Date.parse(at), zone)).toBe(clock);
    expect(formatUntil(Date.parse(at), NOW, zone)).toBe(until);
  });

  it('falls back to UTC for an unknown timezone', () => {
    expect(safeTimeZone('Not/AZone')).toBe('UTC');
    expect(safeTimeZone(NY)).toBe(NY);
  });
});

const jane = { kind: 'hubspot_owner', id: '52550153', name: 'Jane' } as const;
const paused = (over: Partial<Extract<AiStateView, { status: 'paused' }>>): AiStateView => ({
  status: 'paused',
  source: 'agent_took_ownership',
  by: jane,
  reason: null,
  since: NOW - min(3),
  until: null,
  ...over,
});

describe('describeAiState', () => {
  it.each<{ name: string; ai: AiStateView; headline: string; reason?: string }>([
    { name: 'active from the start', ai: { status: 'active', since: null }, headline: 'OpenCX AI answers this conversation' },
    {
      name: 'active after a resume',
      ai: { status: 'active', since: NOW - min(5) },
      headline: 'OpenCX AI answers this conversation, resumed 5 min ago',
    },
    { name: 'agent took ownership', ai: paused({}), headline: 'Paused: Jane took ownership, 3 min ago' },
    {
      name: 'agent replied',
      ai: paused({ source: 'agent_replied', by: { kind: 'hubspot_user', id: '9', name: null } }),
      headline: 'Paused: an agent replied to the customer, 3 min ago',
    },
    {
      name: 'legacy owner check',
      ai: paused({ source: 'legacy_owner_check', since: NOW - hours(2) }),
      headline: 'Paused: Jane owns this ticket, 2 h ago',
    },
    {
      name: 'timed workflow pause',
      ai: paused({
        source: 'workflow',
        by: { kind: 'workflow', id: '192814114', name: null },
        until: Date.parse('2025-03-12T18:30:00Z'),
        reason: 'VIP customer',
      }),
      headline: 'Paused by workflow until 14:30',
      reason: 'Reason: VIP customer',
    },
    {
      name: 'named workflow, no end',
      ai: paused({ source: 'workflow', by: { kind: 'workflow', id: '1', name: 'Escalations' } }),
      headline: 'Paused by workflow "Escalations", 3 min ago',
    },
    {
      name: 'paused from the card',
      ai: paused({ source: 'card', by: { kind: 'hubspot_user', id: '9', name: 'Ana Agent' }, since: NOW - 10_000 }),
      headline: 'Paused by Ana Agent, just now',
    },
    {
      name: 'handoff by the AI',
      ai: {
        status: 'handoff_requested',
        reason: 'Customer asked for a human',
        requestedBy: { kind: 'ai', id: null, name: null },
        since: NOW - min(12),
        requestId: 'r1',
      },
      headline: 'Handoff requested by OpenCX AI, 12 min ago',
      reason: 'Reason: Customer asked for a human',
    },
    {
      name: 'handoff by a workflow',
      ai: {
        status: 'handoff_requested',
        reason: '',
        requestedBy: { kind: 'workflow', id: '7', name: null },
        since: NOW - hours(30),
        requestId: 'r2',
      },
      headline: 'Handoff requested by a workflow, yesterday',
    },
  ])('$name', ({ ai, headline, reason }) => {
    expect(describeAiState(ai, NOW, NY)).toEqual({ headline, reason: reason ?? null });
  });
});

describe('describeLastAiReply', () => {
  it.each([
    { reply: null, then: null },
    { reply: { text: '  Hi! How can I help?  ', at: NOW - min(2) }, then: { text: 'Hi! How can I help?', when: '2 min ago' } },
    { reply: { text: 'x'.repeat(300), at: NOW }, then: { text: `${'x'.repeat(279)}…`, when: 'just now' } },
  ])('$reply → $then', ({ reply, then }) => {
    expect(describeLastAiReply(reply, NOW, NY)).toEqual(then);
  });
});
