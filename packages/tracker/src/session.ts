// Sessions: a session ends after 30 minutes without events. Its id is its start time in ms; it
// remembers where it started (landing page) and where the visitor came from (referrer), so every
// event of the session carries them, and its campaign (see context.ts).
import { cleanUrl } from './campaign';
import { TIMEOUT } from './config';
import { getJSON, set } from './storage';

/**
 * A session: `i` its id (start time, ms), `t` the time of its last event, `l` its landing page and
 * `r` its referrer (cleaned URLs; the referrer is empty when same-origin or absent).
 */
export interface Session {
  i: number;
  t: number;
  l?: string;
  r?: string;
}

export { TIMEOUT }; // defined in config.ts (see there why)

/**
 * The session an event at `now` belongs to (pure): the current one, else (none yet, or 30 minutes
 * without events) a new one landing on `l` from `r`. A session stored before landing pages were
 * kept adopts `l` and `r`.
 */
export const nextSession = (s: Session | undefined, now: number, l?: string, r?: string): Session => ({
  l,
  r,
  ...(!s || now - s.t > TIMEOUT ? { i: now } : s),
  t: now,
});

/**
 * Moves the stored session on to an event at `now`, and returns it. A new session lands on the
 * address in view, from document.referrer unless that is this site (a later page of the visit).
 */
export function touch(now: number): Session {
  const r = cleanUrl(document.referrer);
  const s = nextSession(getJSON('vista_s'), now, cleanUrl(location)!.href, (r?.origin != location.origin && r?.href) || '');
  set('vista_s', JSON.stringify(s));
  return s;
}
