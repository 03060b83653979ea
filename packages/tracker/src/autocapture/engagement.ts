// Engagement: seconds the page was focused (so visible) and used (input in the last 30 s), and the
// deepest scroll, reported as deltas whenever the page is left or hidden, so sums and maxima add up.
import { track } from '../events';
import { on } from '../listen';

let engaged = 0;
let activeAt = 0;
let depth = 0;

/** Notes input, and how far down the page has been seen. */
function active(): void {
  activeAt = Date.now();
  depth = Math.max(depth, (((scrollY + innerHeight) * 100) / document.documentElement.scrollHeight) | 0);
}

export function installEngagement(): void {
  for (const t of ['keydown', 'pointermove', 'scroll']) on(t, active);
  setInterval(() => document.hasFocus() && Date.now() - activeAt < 3e4 && (engaged += 1e3), 1e3);
  active();
}

/**
 * Sends 'Page Engagement' {engaged_ms, scroll_depth} for the time since the last report, if the
 * page was used. With `next`, a new page starts (SPA navigation): scroll depth starts over.
 */
export function reportEngagement(next?: unknown): void {
  if (engaged) track('Page Engagement', { engaged_ms: engaged, scroll_depth: depth });
  engaged = 0;
  if (next) {
    depth = 0;
    active();
  }
}
