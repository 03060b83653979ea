import type { Timed } from './canonical.ts';
import type { Reactivity } from './types.ts';

const RECEIVED = new Set(['Email Delivered', 'Email Sent']);
const REDEEMED = new Set(['Coupon Applied', 'Coupon Redeemed', 'Promotion Redeemed']);

/**
 * A rate over `base`, which is raised to the largest count in the funnel: opens and clicks
 * can outnumber recorded deliveries (an email platform that is not connected, a forwarded
 * mail), and a rate above 1 would mean nothing to a segment rule.
 */
function rate(n: number, base: number, ...above: number[]): number | null {
  return base === 0 ? null : n / Math.max(base, ...above);
}

/** `prior` continues an earlier fold (counts add up whatever the order). */
export function buildReactivity(events: readonly Timed[], prior?: Reactivity): Reactivity {
  let received = prior?.emailsReceived ?? 0, opened = prior?.emailsOpened ?? 0, clicked = prior?.emailsClicked ?? 0;
  let viewed = prior?.promotionsViewed ?? 0, promoClicked = prior?.promotionsClicked ?? 0, redeemed = prior?.promotionsRedeemed ?? 0;
  for (const { event } of events) {
    if (event.type !== 'track' || event.event === null) continue;
    const name = event.event;
    if (RECEIVED.has(name)) received++;
    else if (name === 'Email Opened') opened++;
    else if (name === 'Email Link Clicked') clicked++;
    else if (name === 'Promotion Viewed') viewed++;
    else if (name === 'Promotion Clicked') promoClicked++;
    else if (REDEEMED.has(name)) redeemed++;
  }
  return reactivityOf([received, opened, clicked, viewed, promoClicked, redeemed]);
}

/** The six counts in order: received, opened, clicked, promotions viewed, clicked, redeemed. */
export type ReactivityCounts = [number, number, number, number, number, number];

export function reactivityCounts(r: Reactivity): ReactivityCounts {
  return [r.emailsReceived, r.emailsOpened, r.emailsClicked, r.promotionsViewed, r.promotionsClicked, r.promotionsRedeemed];
}

/** The facts of the counts, rates included: one place computes them for a build and a read alike. */
export function reactivityOf([received, opened, clicked, viewed, promoClicked, redeemed]: ReactivityCounts): Reactivity {
  return {
    emailsReceived: received,
    emailsOpened: opened,
    emailsClicked: clicked,
    openRate: rate(opened, received, opened),
    clickRate: rate(clicked, received, opened, clicked),
    promotionsViewed: viewed,
    promotionsClicked: promoClicked,
    promotionsRedeemed: redeemed,
    redemptionRate: rate(redeemed, viewed, promoClicked, redeemed),
  };
}
