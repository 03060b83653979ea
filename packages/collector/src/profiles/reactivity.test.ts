// Protects campaign reactivity: email and promotion counts by Segment event name, and rates that are null without a base and never exceed 1.
import { describe, expect, it } from 'vitest';
import { canonicalise } from './canonical.ts';
import { page, track } from './fixtures.ts';
import { buildReactivity } from './reactivity.ts';
import type { ProfileEvent } from './types.ts';

const react = (events: ProfileEvent[]) => buildReactivity(canonicalise(events).events);
const times = (n: number, name: string) => Array.from({ length: n }, () => track(name));

describe('buildReactivity', () => {
  it('counts emails and promotions by their spec names', () => {
    const r = react([
      ...times(3, 'Email Delivered'), ...times(1, 'Email Sent'), ...times(2, 'Email Opened'), ...times(1, 'Email Link Clicked'),
      ...times(4, 'Promotion Viewed'), ...times(2, 'Promotion Clicked'),
      track('Coupon Applied'), track('Coupon Redeemed'), track('Promotion Redeemed'), track('Coupon Removed'),
      page({ name: 'Email Opened' }),
    ]);
    expect(r).toEqual({
      emailsReceived: 4, emailsOpened: 2, emailsClicked: 1, openRate: 0.5, clickRate: 0.25,
      promotionsViewed: 4, promotionsClicked: 2, promotionsRedeemed: 3, redemptionRate: 0.75,
    });
  });

  it('has null rates when nothing was received or viewed', () => {
    const r = react([...times(2, 'Email Opened'), track('Coupon Applied')]);
    expect(r).toMatchObject({ openRate: null, clickRate: null, redemptionRate: null });
  });

  it('uses opens as the base when they exceed deliveries', () => {
    const r = react([...times(2, 'Email Delivered'), ...times(4, 'Email Opened'), ...times(1, 'Email Link Clicked')]);
    expect(r).toMatchObject({ openRate: 1, clickRate: 0.25 });
  });

  it('never reports a rate above 1', () => {
    const r = react([track('Email Delivered'), ...times(3, 'Email Link Clicked'), track('Promotion Viewed'), ...times(2, 'Coupon Applied')]);
    expect(r).toMatchObject({ openRate: 0, clickRate: 1, redemptionRate: 1 });
  });
});
