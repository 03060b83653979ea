import { DAY_MS } from './purchases.ts';
import type { LifecycleStage, ProfileFacts } from './types.ts';

/**
 * The lifecycle stage as of `now` (DESIGN.md §5), never as of the last event: a stage must
 * move with the calendar even when no event arrives. Checks, first match wins:
 *  1. lapsed: lastSeen is more than `lapseDays` before now (exactly lapseDays is not lapsed).
 *     First, because silence outranks every other stage, including for customers.
 *  2. visitor: not known (no userId or email), whatever it bought as a guest.
 *  3. lead: known, no order.
 *  4. new_customer: exactly one order.
 *  5. at_risk: two or more orders and the days since the last order exceed twice the average
 *     days between orders (strictly more).
 *  6. repeat_customer: otherwise.
 * `known` comes from the identity graph, which this pure module cannot see.
 */
export function lifecycle(
  facts: Pick<ProfileFacts, 'lastSeen' | 'purchases'>,
  known: boolean,
  now: Date,
  lapseDays = 180,
): LifecycleStage {
  const at = now.getTime();
  if (facts.lastSeen !== null && at - Date.parse(facts.lastSeen) > lapseDays * DAY_MS) return 'lapsed';
  if (!known) return 'visitor';
  const { orders, lastOrderAt, averageDaysBetweenOrders } = facts.purchases;
  if (orders === 0) return 'lead';
  if (orders === 1) return 'new_customer';
  if (lastOrderAt !== null && averageDaysBetweenOrders !== null
    && (at - Date.parse(lastOrderAt)) / DAY_MS > 2 * averageDaysBetweenOrders) return 'at_risk';
  return 'repeat_customer';
}
