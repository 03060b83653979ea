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
 * interestWeights. `events` must be canonical with duplicate orders removed. The weight is
 * carried forward occurrence by occurrence (w = w × decay(gap) + 1), so `prior`, an earlier
 * fold over events that all sort before these, continues to the very same floating-point value.
 */
export function buildInterests(events: readonly Timed[], prior: readonly Interest[] = []): Interest[] {
  const state = new Map<string, { count: number; lastMs: number; last: string; decayedAtLast: number }>();
  for (const i of prior) state.set(i.category, { count: i.count, lastMs: Date.parse(i.last), last: i.last, decayedAtLast: i.decayedAtLast });
  for (const at of events) {
    for (const c of categoriesOf(at)) {
      const s = state.get(c);
      if (s === undefined) {
        state.set(c, { count: 1, lastMs: at.ms, last: at.iso, decayedAtLast: 1 });
        continue;
      }
      s.decayedAtLast = s.decayedAtLast * decay(at.ms - s.lastMs) + 1;
      s.count++;
      s.lastMs = at.ms;
      s.last = at.iso;
    }
  }
  return [...state]
    .map(([category, s]) => ({ category, count: s.count, last: s.last, decayedAtLast: s.decayedAtLast }))
    .sort(byCountThenValue((i) => i.category));
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
