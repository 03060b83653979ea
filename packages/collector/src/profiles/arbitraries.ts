// Test helper: generated profile events where ties in time, ids and keys are the common case.
import fc from 'fast-check';
import { T } from './fixtures.ts';
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
  products: fc.array(product, { maxLength: 3 }), category: maybe(pick(['Shoes', 'Bags', 'Hats'])), engaged_ms: amount,
  // Page data that no builder reads (profile-event.ts keeps only what they do).
  url: pick(['https://shop.example/a?x=1']), title: maybe(pick(['Home'])), search: pick(['?q=boot']),
}, { requiredKeys: [] });
const messageId = fc.oneof(pick(['a', 'b', 'B', 'é', '\uFF61', '\u{1F600}', 'a\u{1F600}']), fc.string({ minLength: 1, maxLength: 4 }));

export const event: fc.Arbitrary<ProfileEvent> = fc.record({
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
export const shuffled = fc.uniqueArray(event, { selector: (e) => e.messageId, maxLength: 25 }).chain((events) =>
  fc.tuple(
    fc.constant(events),
    fc.shuffledSubarray(events, { minLength: events.length, maxLength: events.length }),
    fc.array(fc.double({ noNaN: true }), { minLength: events.length, maxLength: events.length }),
  ));

