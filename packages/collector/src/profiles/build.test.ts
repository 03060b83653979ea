// Protects R1 end to end: buildProfile is a pure, JSON-safe function of the SET of events (any order, duplicates, timestamp ties), with bots kept out.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildProfile, compareCanonical, continueFold, foldProfile } from './build.ts';
import { shuffled } from './arbitraries.ts';
import { identify, page, T, track } from './fixtures.ts';
import type { ProfileEvent } from './types.ts';

describe('buildProfile is a function of the set of events', () => {
  it('gives deep-equal and byte-equal results for every permutation', () => {
    fc.assert(fc.property(shuffled, ([events, permuted, keys]) => {
      const reference = buildProfile(events);
      const byKeys = events.map((e, i) => ({ e, k: keys[i] ?? 0 })).sort((a, b) => a.k - b.k).map((x) => x.e);
      for (const order of [permuted, byKeys, [...events].reverse()]) {
        const other = buildProfile(order);
        expect(other).toEqual(reference);
        expect(JSON.stringify(other)).toBe(JSON.stringify(reference));
      }
    }), { numRuns: 400 });
  });

  it('ignores duplicated messages (retries) and survives a JSON round trip', () => {
    fc.assert(fc.property(shuffled, ([events, permuted]) => {
      const facts = buildProfile(events);
      expect(buildProfile([...permuted, ...events.slice(0, 5)])).toEqual(facts);
      expect(JSON.parse(JSON.stringify(facts))).toStrictEqual(facts);
    }), { numRuns: 200 });
  });

  it('does not mutate its input', () => {
    fc.assert(fc.property(shuffled, ([events]) => {
      const before = JSON.stringify(events);
      buildProfile(events);
      expect(JSON.stringify(events)).toBe(before);
    }), { numRuns: 50 });
  });
});

/** A set, cut at a point of its canonical order; bots and aliases fall on either side. */
const cut = shuffled.chain(([events]) => fc.tuple(
  fc.constant(events),
  fc.nat({ max: events.length }),
  fc.array(fc.boolean(), { minLength: events.length, maxLength: events.length }),
));

describe('foldProfile continues a stored fold exactly', () => {
  it('folding the later part onto the stored state of the earlier part equals one fold over all (R1)', () => {
    fc.assert(fc.property(cut, ([events, at, sides]) => {
      const timeline = events.filter((e) => !e.isBot && e.type !== 'alias').sort(compareCanonical);
      const early = new Set(timeline.slice(0, at));
      const earlier = events.filter((e, i) => early.has(e) || ((e.isBot || e.type === 'alias') && sides[i]));
      const later = events.filter((e) => !earlier.includes(e));
      // Stored and read back as JSON, as the database does between two groups.
      const stored = JSON.parse(JSON.stringify(foldProfile(null, earlier)));
      const continued = continueFold(stored, later);
      expect(continued).not.toBeNull();
      expect(continued).toEqual(foldProfile(stored, later));
      if (continued === null) return;
      expect(JSON.stringify(continued.facts)).toBe(JSON.stringify(buildProfile(events)));
      expect(continued).toEqual(foldProfile(null, events));
    }), { numRuns: 400 });
  });

  it('refuses a continuation with an event that sorts before the last one folded in', () => {
    fc.assert(fc.property(cut, ([events, at]) => {
      const timeline = events.filter((e) => !e.isBot && e.type !== 'alias').sort(compareCanonical);
      fc.pre(timeline.length >= 2);
      const state = foldProfile(null, timeline.slice(1, Math.max(2, at)));
      expect(continueFold(state, [timeline[0]!])).toBeNull();
      expect(continueFold(state, [timeline[0]!, { ...timeline[0]!, isBot: true }])).toBeNull();
    }), { numRuns: 200 });
  });
});

describe('buildProfile', () => {
  const human = [
    page({ timestamp: T(0), sourceId: 'web', channel: 'organic_search', referrerHost: 'www.google.com', path: '/', country: 'IT', properties: { category: 'Shoes' } }),
    identify({ email: 'lia@mail.it', tier: 'silver' }, { timestamp: T(1) }),
    track('Order Completed', { order_id: 'o1', revenue: 80, currency: 'EUR', products: [{ product_id: 'p1', price: 80, category: 'Shoes' }] }, { timestamp: T(5) }),
  ];
  const bots = [
    page({ timestamp: T(-600), isBot: true, sourceId: 'bot-src', channel: 'referral', referrerHost: 'spam.example', country: 'US', properties: { category: 'Spam' } }),
    identify({ tier: 'platinum' }, { timestamp: T(3), isBot: true }),
    track('Order Completed', { order_id: 'bot', revenue: 1000 }, { timestamp: T(900), isBot: true }),
    track('Email Opened', null, { timestamp: T(901), isBot: true }),
  ];

  it('keeps bots out of everything', () => {
    expect(buildProfile([...bots, ...human])).toEqual(buildProfile(human));
  });

  it('assembles every part of the profile', () => {
    const f = buildProfile(human);
    expect(f).toMatchObject({
      firstSeen: T(0), lastSeen: T(5), traits: { email: 'lia@mail.it', tier: 'silver' },
      stats: { events: 3, pageViews: 1, sessions: 1, engagedMs: 0, activeDays: 1 },
      initial: { channel: 'organic_search', referrerHost: 'www.google.com', landingPage: '/' },
      purchases: { orders: 1, revenue: 80, currency: 'EUR', averageOrderValue: 80 },
      reactivity: { emailsReceived: 0, openRate: null },
      historicalValue: 80,
    });
    expect(f.last).toEqual(f.initial);
    expect(f.touchpoints.countries).toEqual([{ value: 'IT', count: 1, first: T(0), last: T(0) }]);
    expect(f.interests).toEqual([{ category: 'Shoes', count: 2, last: T(5), decayedAtLast: 1 + 0.5 ** (5 / (30 * 24 * 60)) }]);
  });

  it('counts interest in a duplicated order once', () => {
    const o = { order_id: 'o9', products: [{ category: 'Hats' }] };
    const f = buildProfile([track('Order Completed', o, { timestamp: T(1) }), track('Order Completed', o, { timestamp: T(2) })]);
    expect(f.interests).toEqual([{ category: 'Hats', count: 1, last: T(1), decayedAtLast: 1 }]);
    expect(f.purchases.orders).toBe(1);
  });

  it('is empty for no events, or only bots and aliases', () => {
    const empty = buildProfile([]);
    expect(empty).toMatchObject({ firstSeen: null, lastSeen: null, traits: {}, initial: null, last: null, interests: [], historicalValue: 0 });
    expect(buildProfile([...bots, track('x', null, { type: 'alias' })])).toEqual(empty);
  });
});
