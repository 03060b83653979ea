import type { Timed } from './canonical.ts';
import { compareUtf8 } from './canonical.ts';
import { byCountThenValue } from './tally.ts';
import type { Interest, ProfileFacts } from './types.ts';
import { productsOf, text } from './values.ts';
import { DAY_MS } from './purchases.ts';

export const INTEREST_HALF_LIFE_MS = 30 * DAY_MS;

const PRODUCT_EVENTS = new Set(['Product Viewed', 'Product Added', 'Order Completed']);

/** The distinct categories one event shows interest in: one event is one occurrence. */
export function categoriesOf({ event }: Timed): Set<string> {
  const found = new Set<string>();
  const props = event.properties;
  const page = event.type === 'page' || event.type === 'screen';
  const product = event.type === 'track' && event.event !== null && PRODUCT_EVENTS.has(event.event);
  if (!page && !product) return found;
  const own = text(props?.category);
  if (own !== null) found.add(own);
  if (product) {
    for (const p of productsOf(props)) {
      const c = text(p.category);
      if (c !== null) found.add(c);
    }
  }
  return found;
}

function decay(ms: number): number {
  return 0.5 ** (ms / INTEREST_HALF_LIFE_MS);
}

/**
 * Weights are stored as of each category's own last occurrence, not as of build time, so the
 * stored profile stays a function of its events; any reader scales to its own `now` with
 * interestWeights. `events` must be canonical with duplicate orders removed.
 */
export function buildInterests(events: readonly Timed[]): Interest[] {
  const seen = new Map<string, Timed[]>();
  for (const at of events) {
    for (const c of categoriesOf(at)) {
      const list = seen.get(c);
      if (list === undefined) seen.set(c, [at]);
      else list.push(at);
    }
  }
  const out: Interest[] = [];
  for (const [category, times] of seen) {
    const last = times[times.length - 1];
    if (last === undefined) continue;
    // Summed oldest first (canonical), so the floating-point result is fixed by the events.
    let decayedAtLast = 0;
    for (const t of times) decayedAtLast += decay(last.ms - t.ms);
    out.push({ category, count: times.length, last: last.iso, decayedAtLast });
  }
  return out.sort(byCountThenValue((i) => i.category));
}

/**
 * Interest weights as of `now`: decayedAtLast × 0.5^((now − last)/H), which equals the sum of
 * every occurrence decayed to `now`. A `now` before the last occurrence (clock skew) is read
 * as that occurrence, so no weight grows above its undecayed sum.
 */
export function interestWeights(facts: Pick<ProfileFacts, 'interests'>, now: Date): { category: string; weight: number }[] {
  const at = now.getTime();
  return facts.interests
    .map((i) => ({ category: i.category, weight: i.decayedAtLast * decay(Math.max(0, at - Date.parse(i.last))) }))
    .sort((a, b) => b.weight - a.weight || compareUtf8(a.category, b.category));
}
