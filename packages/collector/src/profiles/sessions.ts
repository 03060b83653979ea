import type { Timed } from './canonical.ts';
import type { ProfileStats } from './types.ts';

export const SESSION_GAP_MS = 30 * 60 * 1000;
/** One engagement report longer than this is a tab left open, not attention. */
export const ENGAGEMENT_CAP_MS = 30 * 60 * 1000;

export interface Activity {
  firstSeen: string | null;
  lastSeen: string | null;
  stats: ProfileStats;
}

function engagedMs({ event }: Timed): number {
  if (event.type !== 'track' || event.event !== 'Page Engagement') return 0;
  const ms = event.properties?.engaged_ms;
  return typeof ms === 'number' && Number.isFinite(ms) && ms >= 0 ? Math.min(ms, ENGAGEMENT_CAP_MS) : 0;
}

/**
 * `events` must be canonical (sorted, bot-free). firstSeen is the earliest message of any
 * kind; lastSeen, sessions and active days count only messages the person caused (R17:
 * `context.active === false`, e.g. an email delivery, does not advance last seen), so a
 * newsletter landing at 3 a.m. is not a visit and does not keep a lapsed customer "active".
 * With no active message at all, lastSeen is null: nothing the person did was ever seen.
 */
export function buildActivity(events: readonly Timed[], botEvents: number): Activity {
  let pageViews = 0;
  let engaged = 0;
  let sessions = 0;
  let previousActive: number | null = null;
  let lastActive: Timed | null = null;
  const days = new Set<string>();
  for (const at of events) {
    const type = at.event.type;
    if (type === 'page' || type === 'screen') pageViews++;
    engaged += engagedMs(at);
    if (!at.active) continue;
    // Strictly more than 30 minutes of silence ends a session; exactly 30 does not.
    if (previousActive === null || at.ms - previousActive > SESSION_GAP_MS) sessions++;
    previousActive = at.ms;
    lastActive = at;
    // UTC days: a profile has no reliable time zone, and the result must not depend on the runtime's.
    days.add(at.iso.slice(0, 10));
  }
  const first = events[0] ?? null;
  return {
    firstSeen: first?.iso ?? null,
    lastSeen: lastActive?.iso ?? null,
    stats: { events: events.length, pageViews, sessions, engagedMs: engaged, botEvents, activeDays: days.size },
  };
}
