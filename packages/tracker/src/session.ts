// Sessions: a session ends after 30 minutes without events, or when the visitor comes back through
// a new campaign. A session remembers its campaign, landing page and referrer.
import { get, set } from './storage';
import type { Props } from './types';

export interface Session {
  /** Id: the start time in ms (context.sessionId). */
  i: number;
  /** Time of the last event. */
  t: number;
  /** Campaign the session came through. */
  c?: Props;
  /** Landing page URL (cleaned). */
  l: string;
  /** Referrer of the landing page. */
  r: string;
}

export const TIMEOUT = 30 * 60 * 1000;
const KEY = 'vista_s';

/** The session an event at `now` belongs to (pure). */
export function nextSession(s: Session | null, now: number, campaign: Props | undefined, url: string, referrer: string): Session {
  return !s || now - s.t > TIMEOUT || (campaign && JSON.stringify(campaign) != JSON.stringify(s.c))
    ? { i: now, t: now, c: campaign, l: url, r: referrer }
    : { ...s, t: now };
}

/** Moves the stored session on to an event at `now` and returns it. */
export function touch(now: number, campaign: Props | undefined, url: string, referrer: string): Session {
  let s: Session | null = null;
  try {
    s = JSON.parse(get(KEY)!);
  } catch {}
  s = nextSession(s, now, campaign, url, referrer);
  set(KEY, JSON.stringify(s));
  return s;
}

export const endSession = (): void => set(KEY, null);
