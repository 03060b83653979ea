// Protects R1 end to end: buildProfile is a pure, JSON-safe function of the SET of events (any order, duplicates, timestamp ties), with bots kept out.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildProfile, canAppend, compareCanonical, foldProfile } from './build.ts';
import { identify, page, T, track } from './fixtures.ts';
import type { ProfileEvent } from './types.ts';

const pick = <T,>(values: readonly T[]) => fc.constantFrom(...values);
const maybe = <T,>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: null, freq: 2 });

// Few distinct values everywhere, so ties in time, ids and keys are the common case.
const stamp = pick([T(0), T(0), T(1), T(31), T(62), T(61 * 24 * 60), '2026-03-01T09:01:00+00:00']);
const amount = pick<unknown>([0.1, 0.2, 0.3, 19.99, 1e16, '7.5', 'n/a', -1]);
const key = pick(['tier', 'plan', 'email', '__proto__']);
const traitValue = pick<unknown>(['gold', 'silver', 1, null, { nested: true }]);
const record = fc.dictionary(key, traitValue, { maxKeys: 3 });
const ops = fc.record({ $set: record, $set_once: record, $unset: fc.array(key, { maxLength: 2 }) }, { requiredKeys: [] });
const product = fc.record({
  product_id: maybe(pick(['p1', 'p2', 3])), name: maybe(pick(['Boot', 'Sock'])),
  price: amount, quantity: maybe(pick<unknown>([1, 2, '3'])), category: maybe(pick(['Shoes', 'Bags'])),
}, { requiredKeys: [] });
const properties = fc.record({
  order_id: maybe(pick(['o1', 'o2', 7])), revenue: amount, total: amount, currency: pick(['EUR', 'usd', 'USD']),
  products: fc.array(product, { maxLength: 3 }), category: pick(['Shoes', 'Bags', 'Hats']), engaged_ms: amount,
}, { requiredKeys: [] });
const messageId = fc.oneof(pick(['a', 'b', 'B', 'é', '\uFF61', '\u{1F600}', 'a\u{1F600}']), fc.string({ minLength: 1, maxLength: 4 }));

const event: fc.Arbitrary<ProfileEvent> = fc.record({
  messageId,
  type: pick(['track', 'track', 'page', 'screen', 'identify', 'group', 'alias'] as const),
  event: maybe(pick(['Order Completed', 'Page Engagement', 'Email Delivered', 'Email Opened', 'Email Link Clicked', 'Promotion Viewed', 'Coupon Applied', 'Product Viewed'])),
  name: maybe(pick(['Home', 'Sale'])),
  timestamp: stamp,
  sourceId: pick(['web', 'esp', 'promo']),
  channel: pick(['direct', 'email', 'paid_social', 'unknown']),
  utmSource: maybe(pick(['ig', 'newsletter'])), utmMedium: maybe(pick(['email', 'cpc'])), utmCampaign: maybe(pick(['spring', 'fall'])),
  referrer: maybe(pick(['https://www.google.com/'])), referrerHost: maybe(pick(['www.google.com'])),
  url: maybe(pick(['https://shop.example/a'])), path: maybe(pick(['/a', '/b'])),
  deviceType: maybe(pick(['mobile', 'desktop'])), browser: maybe(pick(['Safari', 'Chrome'])), os: maybe(pick(['iOS'])), country: maybe(pick(['IT', 'FR'])),
  isBot: fc.integer({ min: 0, max: 7 }).map((n) => n === 0),
  properties: maybe(fc.tuple(properties, ops).map(([p, o]) => ({ ...p, ...o }))),
  traits: maybe(fc.tuple(record, ops).map(([t, o]) => ({ ...t, ...o }))),
  context: maybe(pick([{ active: false }, { active: true }, { traits: { tier: 'ctx' } }])),
});

/** A set of events (unique messageIds) and two independent orderings of it. */
const shuffled = fc.uniqueArray(event, { selector: (e) => e.messageId, maxLength: 25 }).chain((events) =>
  fc.tuple(
    fc.constant(events),
    fc.shuffledSubarray(events, { minLength: events.length, maxLength: events.length }),
    fc.array(fc.double({ noNaN: true }), { minLength: events.length, maxLength: events.length }),
  ));

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
      expect(canAppend(stored.fold, later)).toBe(true);
      const continued = foldProfile(stored, later);
      expect(JSON.stringify(continued.facts)).toBe(JSON.stringify(buildProfile(events)));
      expect(continued).toEqual(foldProfile(null, events));
    }), { numRuns: 400 });
  });

  it('refuses a continuation with an event that sorts before the last one folded in', () => {
    fc.assert(fc.property(cut, ([events, at]) => {
      const timeline = events.filter((e) => !e.isBot && e.type !== 'alias').sort(compareCanonical);
      fc.pre(timeline.length >= 2);
      const state = foldProfile(null, timeline.slice(1, Math.max(2, at)));
      expect(canAppend(state.fold, [timeline[0]!])).toBe(false);
      expect(canAppend(state.fold, [timeline[0]!, { ...timeline[0]!, isBot: true }])).toBe(false);
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

  it('keeps bots out of everything but stats.botEvents', () => {
    const withBots = buildProfile([...bots, ...human]);
    const without = buildProfile(human);
    expect(withBots).toEqual({ ...without, stats: { ...without.stats, botEvents: 4 } });
    expect(without.stats.botEvents).toBe(0);
  });

  it('assembles every part of the profile', () => {
    const f = buildProfile(human);
    expect(f).toMatchObject({
      firstSeen: T(0), lastSeen: T(5), traits: { email: 'lia@mail.it', tier: 'silver' },
      stats: { events: 3, pageViews: 1, sessions: 1, engagedMs: 0, botEvents: 0, activeDays: 1 },
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
    expect(buildProfile([...bots, track('x', null, { type: 'alias' })])).toEqual({ ...empty, stats: { ...empty.stats, botEvents: 4 } });
  });
});
