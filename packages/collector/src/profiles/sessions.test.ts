// Protects stats and R17: sessions split on >30 min of silence, inactive messages never advance lastSeen, engagement is capped.
import { describe, expect, it } from 'vitest';
import { canonicalise } from './canonical.ts';
import { D, ev, page, T, track } from './fixtures.ts';
import { buildActivity } from './sessions.ts';
import type { ProfileEvent } from './types.ts';

const activity = (events: ProfileEvent[]) => {
  const c = canonicalise(events);
  return buildActivity(c.events);
};
const inactive = { active: false };

describe('buildActivity', () => {
  it('starts a new session after a 31-minute gap, not after exactly 30', () => {
    expect(activity([page({ timestamp: T(0) }), page({ timestamp: T(30) }), page({ timestamp: T(60) })]).stats.sessions).toBe(1);
    expect(activity([page({ timestamp: T(0) }), page({ timestamp: T(31) })]).stats.sessions).toBe(2);
    expect(activity([page({ timestamp: T(0) }), page({ timestamp: T(20) }), page({ timestamp: T(51) }), page({ timestamp: T(82) })]).stats.sessions).toBe(3);
  });

  it('R17: firstSeen is the earliest message, lastSeen the latest active one', () => {
    const a = activity([
      track('Email Delivered', null, { timestamp: T(0), context: inactive }),
      page({ timestamp: T(10) }),
      track('Email Delivered', null, { timestamp: T(500), context: inactive }),
    ]);
    expect(a.firstSeen).toBe(T(0));
    expect(a.lastSeen).toBe(T(10));
  });

  it('leaves lastSeen null when no message is active (R17: only activity advances it), and without events', () => {
    expect(activity([track('Email Delivered', null, { timestamp: T(5), context: inactive })]))
      .toMatchObject({ firstSeen: T(5), lastSeen: null, stats: { sessions: 0, activeDays: 0, events: 1 } });
    expect(activity([])).toEqual({
      firstSeen: null, lastSeen: null, previousActive: null, lastActiveDay: null,
      stats: { events: 0, pageViews: 0, sessions: 0, engagedMs: 0, activeDays: 0 },
    });
  });

  it('inactive messages neither start nor bridge sessions', () => {
    const a = activity([
      page({ timestamp: T(0) }),
      track('Email Delivered', null, { timestamp: T(25), context: inactive }),
      page({ timestamp: T(50) }),
    ]);
    expect(a.stats.sessions).toBe(2);
  });

  it('counts events, page and screen views, UTC active days and bots', () => {
    const a = activity([
      page({ timestamp: '2026-03-01T23:50:00Z' }),
      ev({ type: 'screen', event: null, timestamp: '2026-03-02T00:10:00Z' }),
      track('Clicked', null, { timestamp: D(5) }),
      ev({ type: 'identify', event: null, timestamp: D(5) }),
      page({ isBot: true }),
    ]);
    expect(a.stats).toEqual({ events: 4, pageViews: 2, sessions: 2, engagedMs: 0, activeDays: 3 });
  });

  it('sums Page Engagement engaged_ms, capped at 30 minutes per event, ignoring bad values', () => {
    const a = activity([
      track('Page Engagement', { engaged_ms: 1500 }),
      track('Page Engagement', { engaged_ms: 2 * 60 * 60 * 1000 }),
      track('Page Engagement', { engaged_ms: -5 }),
      track('Page Engagement', { engaged_ms: '900' }),
      track('Page Engagement', null),
      track('Other', { engaged_ms: 700 }),
    ]);
    expect(a.stats.engagedMs).toBe(1500 + 30 * 60 * 1000);
  });
});
