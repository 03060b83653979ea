import { buildAcquisition } from './acquisition.ts';
import { canonicalise, compareUtf8, sortsAfter, type Canonical } from './canonical.ts';
import { buildInterests } from './interests.ts';
import { distinctOrders, foldPurchases, isOrder } from './purchases.ts';
import { buildReactivity } from './reactivity.ts';
import { buildActivity } from './sessions.ts';
import { buildTouchpoints } from './tally.ts';
import { foldTraits } from './traits.ts';
import type { FoldState, ProfileEvent, ProfileFacts, ProfileState } from './types.ts';

export type * from './types.ts';
export { compareCanonical, compareUtf8 } from './canonical.ts';
export { interestWeights, INTEREST_HALF_LIFE_MS } from './interests.ts';
export { lifecycle } from './lifecycle.ts';

/**
 * Whether the events can continue the fold: every one the timeline keeps sorts after the last
 * event folded in. Bot and alias messages never enter the timeline, so they always can. A late
 * event cannot: the caller rebuilds from all events instead.
 */
function follows(fold: FoldState, canonical: Canonical): boolean {
  const first = canonical.events[0];
  if (first === undefined || fold.lastMs === null || fold.lastMessageId === null) return true;
  return sortsAfter(first.ms, first.event.messageId, { ms: fold.lastMs, messageId: fold.lastMessageId });
}

/** foldProfile when the events follow the fold, else null (the caller rebuilds): one canonical pass for both. */
export function continueFold(prior: ProfileState | null, events: readonly ProfileEvent[]): ProfileState | null {
  const canonical = canonicalise(events);
  return prior === null || follows(prior.fold, canonical) ? foldCanonical(prior, canonical) : null;
}

function foldCanonical(prior: ProfileState | null, canonical: Canonical): ProfileState {
  const timeline = canonical.events;
  const facts = prior?.facts;
  const seenOrders = new Set(prior?.fold.orderIds);
  const orders = distinctOrders(timeline, seenOrders);
  const counted = new Set(orders);
  // Interest in an order's categories counts once per order, like the order itself.
  const interestEvents = timeline.filter((at) => !isOrder(at) || counted.has(at));
  const activity = buildActivity(timeline, facts && {
    firstSeen: facts.firstSeen, lastSeen: facts.lastSeen, stats: facts.stats,
    previousActive: prior.fold.previousActive, lastActiveDay: prior.fold.lastActiveDay,
  });
  const { initial, last } = buildAcquisition(timeline, facts);
  const purchases = foldPurchases(orders, facts && { purchases: facts.purchases, currencies: prior.fold.currencies });
  const lastEvent = timeline.at(-1);
  return {
    facts: {
      firstSeen: activity.firstSeen,
      lastSeen: activity.lastSeen,
      traits: foldTraits(timeline, facts?.traits),
      stats: activity.stats,
      touchpoints: buildTouchpoints(timeline, facts?.touchpoints),
      initial,
      last,
      purchases: purchases.purchases,
      reactivity: buildReactivity(timeline, facts?.reactivity),
      interests: buildInterests(interestEvents, facts?.interests),
      historicalValue: purchases.purchases.revenue,
    },
    fold: {
      lastMs: lastEvent?.ms ?? prior?.fold.lastMs ?? null,
      lastMessageId: lastEvent?.event.messageId ?? prior?.fold.lastMessageId ?? null,
      previousActive: activity.previousActive,
      lastActiveDay: activity.lastActiveDay,
      orderIds: [...seenOrders].sort(compareUtf8),
      currencies: purchases.currencies,
    },
  };
}

/**
 * Continues `prior` (null: nothing folded yet) with `events`, which must follow it (continueFold checks). The
 * result equals one fold over all the events, to the last bit of every float, because each
 * part adds in canonical order and resumes from exactly what it stored.
 */
export function foldProfile(prior: ProfileState | null, events: readonly ProfileEvent[]): ProfileState {
  return foldCanonical(prior, canonicalise(events));
}

/**
 * The behavioural profile of one person from ALL of its events, in any order. Pure and
 * deterministic: the result depends only on the set of events (R1), so any process may
 * recompute it after a late or out-of-order message and store the same JSON. Time is never
 * read here; stages and weights "as of now" are separate functions of the stored facts.
 */
export function buildProfile(events: readonly ProfileEvent[]): ProfileFacts {
  return foldProfile(null, events).facts;
}
