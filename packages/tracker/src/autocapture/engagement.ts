// Engagement: time the page was visible, focused and used (input in the last 30 s), and the
// deepest scroll, reported as deltas whenever the page is left or hidden, so sums and maxima add up.
import type { Props } from '../types';

const IDLE = 3e4;
let engaged = 0;
let tickAt = 0;
let activeAt = 0;
let depth = 0;

function tick(): void {
  const now = Date.now();
  if (!document.hidden && document.hasFocus() && now - activeAt < IDLE) engaged += now - tickAt;
  tickAt = now;
}

function scrolled(): void {
  const h = document.documentElement.scrollHeight;
  depth = Math.max(depth, Math.round(Math.min(1, (scrollY + innerHeight) / h) * 100));
}

/** Starts measuring a new page. */
export function restartEngagement(): void {
  depth = 0;
  scrolled();
  tickAt = activeAt = Date.now();
}

export function installEngagement(): void {
  const active = (): void => {
    tick(); // count up to now before the idle clock restarts
    activeAt = Date.now();
  };
  for (const t of ['scroll', 'keydown', 'pointerdown', 'pointermove', 'touchstart', 'focus'])
    addEventListener(t, active, { capture: true, passive: true });
  addEventListener('scroll', scrolled, { passive: true });
  setInterval(tick, 1e3);
  restartEngagement();
}

/** Properties of a 'Page Engagement' event for the time since the last report, if any. */
export function engagement(): Props | undefined {
  tick();
  scrolled();
  if (engaged) {
    const p = { engaged_ms: engaged, scroll_depth: depth };
    engaged = 0;
    return p;
  }
}
