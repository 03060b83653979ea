import { buildAcquisition } from './acquisition.ts';
import { canonicalise } from './canonical.ts';
import { buildInterests } from './interests.ts';
import { buildPurchases, distinctOrders, isOrder } from './purchases.ts';
import { buildReactivity } from './reactivity.ts';
import { buildActivity } from './sessions.ts';
import { buildTouchpoints } from './tally.ts';
import { foldTraits } from './traits.ts';
import type { ProfileEvent, ProfileFacts } from './types.ts';

export type * from './types.ts';
export { compareCanonical, compareUtf8 } from './canonical.ts';
export { interestWeights, INTEREST_HALF_LIFE_MS } from './interests.ts';
export { lifecycle } from './lifecycle.ts';

/**
 * The behavioural profile of one person from ALL of its events, in any order. Pure and
 * deterministic: the result depends only on the set of events (R1), so any process may
 * recompute it after a late or out-of-order message and store the same JSON. Time is never
 * read here; stages and weights "as of now" are separate functions of the stored facts.
 */
export function buildProfile(events: ProfileEvent[]): ProfileFacts {
  const canonical = canonicalise(events);
  const timeline = canonical.events;
  const orders = distinctOrders(timeline);
  const counted = new Set(orders);
  // Interest in an order's categories counts once per order, like the order itself.
  const interestEvents = timeline.filter((at) => !isOrder(at) || counted.has(at));
  const activity = buildActivity(timeline, canonical.botEvents);
  const { initial, last } = buildAcquisition(timeline);
  const purchases = buildPurchases(orders);
  return {
    firstSeen: activity.firstSeen,
    lastSeen: activity.lastSeen,
    traits: foldTraits(timeline),
    stats: activity.stats,
    touchpoints: buildTouchpoints(timeline),
    initial,
    last,
    purchases,
    reactivity: buildReactivity(timeline),
    interests: buildInterests(interestEvents),
    historicalValue: purchases.revenue,
  };
}
