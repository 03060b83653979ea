import type { Timed } from './canonical.ts';
import type { ProfileStats } from './types.ts';

export const SESSION_GAP_MS = 30 * 60 * 1000;
/** One engagement report longer than this is a tab left open, not attention. */
export const ENGAGEMENT_CAP_MS = 30 * 60 * 1000;

export interface Activity {
  firstSeen: string | null;
  lastSeen: string | null;
  stats: ProfileStats;
  /** Where the fold stands, so later events can continue it: the last active instant and its UTC day. */
  previousActive: number | null;
  lastActiveDay: string | null;
}

const NO_ACTIVITY: Activity = {
  firstSeen: null, lastSeen: null, previousActive: null, lastActiveDay: null,
  stats: { events: 0, pageViews: 0, sessions: 0, engagedMs: 0, activeDays: 0 },
};

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
 * `prior` continues an earlier fold whose events all sort before these.
 */
export function buildActivity(events: readonly Timed[], prior: Activity = NO_ACTIVITY): Activity {
  let { pageViews, engagedMs: engaged, sessions, activeDays } = prior.stats;
  let { previousActive, lastActiveDay, lastSeen } = prior;
  for (const at of events) {
    const type = at.event.type;
    if (type === 'page' || type === 'screen') pageViews++;
    engaged += engagedMs(at);
    if (!at.active) continue;
    // Strictly more than 30 minutes of silence ends a session; exactly 30 does not.
    if (previousActive === null || at.ms - previousActive > SESSION_GAP_MS) sessions++;
    previousActive = at.ms;
    lastSeen = at.iso;
    // UTC days: a profile has no reliable time zone, and the result must not depend on the runtime's.
    // Canonical order never goes back in time, so a day is new exactly when it differs from the last.
    const day = at.iso.slice(0, 10);
    if (day !== lastActiveDay) activeDays++;
    lastActiveDay = day;
  }
  return {
    firstSeen: prior.firstSeen ?? events[0]?.iso ?? null,
    lastSeen,
    previousActive,
    lastActiveDay,
    stats: { events: prior.stats.events + events.length, pageViews, sessions, engagedMs: engaged, activeDays },
  };
}
