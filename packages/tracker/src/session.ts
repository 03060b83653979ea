// Sessions: a session ends after 30 minutes without events. Its id is its start time in ms.
import { getJSON, set } from './storage';

/** A session: `i` its id (start time, ms), `t` the time of its last event. */
export interface Session {
  i: number;
  t: number;
}

export const TIMEOUT = 18e5; // 30 minutes
export const SESSION = 'vista_s';

/** The session an event at `now` belongs to (pure). */
export const nextSession = (s: Session | undefined, now: number): Session => ({
  i: !s || now - s.t > TIMEOUT ? now : s.i,
  t: now,
});

/** Moves the stored session on to an event at `now`; returns the session id. */
export function touch(now: number): number {
  const s = nextSession(getJSON(SESSION), now);
  set(SESSION, JSON.stringify(s));
  return s.i;
}
