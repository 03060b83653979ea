// Protects interests: occurrences per category decayed with a 30-day half-life, stored as of the last occurrence and exactly rescalable to any now.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalise } from './canonical.ts';
import { BASE_MS, D, DAY, page, track } from './fixtures.ts';
import { buildInterests, interestWeights } from './interests.ts';
import type { ProfileEvent } from './types.ts';

const interests = (events: ProfileEvent[]) => buildInterests(canonicalise(events).events);

describe('buildInterests', () => {
  it('collects page categories and product categories of viewed, added and ordered products', () => {
    const out = interests([
      page({ properties: { category: 'Shoes' }, timestamp: D(0) }),
      track('Product Viewed', { category: 'Bags' }, { timestamp: D(1) }),
      track('Product Added', { products: [{ category: 'Bags' }] }, { timestamp: D(2) }),
      track('Order Completed', { products: [{ category: 'Shoes' }, { category: 'Shoes' }, { category: 'Hats' }] }, { timestamp: D(3) }),
      track('Product Removed', { category: 'Gloves' }),
      track('Clicked', { category: 'Gloves' }),
    ]);
    expect(out.map((i) => [i.category, i.count, i.last])).toEqual([['Bags', 2, D(2)], ['Shoes', 2, D(3)], ['Hats', 1, D(3)]]);
  });

  it('decays each occurrence by half every 30 days, exactly', () => {
    const out = interests([0, 30, 60].map((d) => page({ properties: { category: 'Shoes' }, timestamp: D(d) })));
    expect(out).toEqual([{ category: 'Shoes', count: 3, last: D(60), decayedAtLast: 1.75 }]);
    const facts = { interests: out };
    expect(interestWeights(facts, new Date(BASE_MS + 60 * DAY))).toEqual([{ category: 'Shoes', weight: 1.75 }]);
    expect(interestWeights(facts, new Date(BASE_MS + 90 * DAY))).toEqual([{ category: 'Shoes', weight: 0.875 }]);
    expect(interestWeights(facts, new Date(BASE_MS + 150 * DAY))).toEqual([{ category: 'Shoes', weight: 0.21875 }]);
  });

  it('weight as of now equals the sum of every occurrence decayed to now', () => {
    const days = fc.array(fc.integer({ min: 0, max: 400 * 24 }), { minLength: 1, maxLength: 12 });
    fc.assert(fc.property(days, fc.integer({ min: 0, max: 800 * 24 }), (hours, ahead) => {
      const events = hours.map((h) => page({ properties: { category: 'c' }, timestamp: new Date(BASE_MS + h * 3_600_000).toISOString() }));
      const now = BASE_MS + Math.max(...hours) * 3_600_000 + ahead * 3_600_000;
      const direct = hours.reduce((s, h) => s + 0.5 ** ((now - BASE_MS - h * 3_600_000) / (30 * DAY)), 0);
      const [w] = interestWeights({ interests: interests(events) }, new Date(now));
      expect(w?.weight).toBeCloseTo(direct, 12);
    }));
  });

  it('orders weights by weight, then category, and does not grow before the last occurrence', () => {
    const facts = { interests: interests([
      page({ properties: { category: 'Old' }, timestamp: D(0) }),
      page({ properties: { category: 'New' }, timestamp: D(60) }),
      page({ properties: { category: 'B' }, timestamp: D(60) }),
    ]) };
    expect(interestWeights(facts, new Date(BASE_MS + 60 * DAY))).toEqual([
      { category: 'B', weight: 1 }, { category: 'New', weight: 1 }, { category: 'Old', weight: 0.25 },
    ]);
    expect(interestWeights(facts, new Date(BASE_MS - DAY))[0]).toEqual({ category: 'B', weight: 1 });
  });
});
