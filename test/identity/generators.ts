// fast-check arbitraries: small realistic worlds of Segment messages, and the ways they can arrive.

import fc from 'fast-check';
import type { JsonObject, JsonValue, ReferenceMessage } from './reference.ts';

/** `Tn` of identity.md: 2026-03-01T09:00:00Z + n minutes. */
export const T = (n: number): string => new Date(Date.parse('2026-03-01T09:00:00Z') + n * 60_000).toISOString();

export interface WorldOptions {
  emailIdentity: boolean;
  blocked: string[];
}

export interface World {
  /** Unique messageIds. Includes messages that R7 rejects. */
  messages: ReferenceMessage[];
  options: WorldOptions;
}

/** How one world arrives: an arrival order, cuts into batches, and identical retries. */
export interface Arrival {
  /** A permutation of message indices. */
  order: number[];
  /** cuts[i]: a batch boundary after the i-th message of `order`. */
  cuts: boolean[];
  /** A copy of the message at `position` of `order`, re-sent `delay` batches later (clamped to the last batch). */
  retries: Array<{ position: number; delay: number }>;
}

export interface Scenario {
  world: World;
  arrival: Arrival;
}

// ---------------------------------------------------------------------------------------------
// Pools

const BROWSERS = ['anon-a', 'anon-b', 'anon-c', 'anon-d'];
/** A number, sent sometimes as 1042 and sometimes as '1042': one identifier. */
const USERS: Array<string | number> = ['c7', 'c9', 1042];
const EMAILS = ['lia@mail.it', 'marco@shop.example'];
/** R6: always blocked, except 'test-user', which is blocked only when the workspace lists it. */
const BLOCKED = ['undefined', '0', ' null ', '"none"', 'test-user'];
const WORKSPACE_BLOCKED = ['test-user'];

function weighted<T>(...choices: Array<[number, fc.Arbitrary<T>]>): fc.Arbitrary<T> {
  return fc.oneof(...choices.map(([weight, arbitrary]) => ({ weight, arbitrary })));
}

/** Timestamps from a small set (T0..T`spread`) so that they collide; one instant is written in several ways. */
const timestampArb = (spread: number): fc.Arbitrary<string> => fc
  .tuple(fc.integer({ min: 0, max: spread }), weighted<'utc' | 'seconds' | 'offset'>([6, fc.constant('utc')], [1, fc.constant('seconds')], [1, fc.constant('offset')]))
  .map(([n, form]) => {
    const iso = T(n);
    if (form === 'seconds') return iso.replace('.000Z', 'Z');
    if (form === 'offset') return new Date(Date.parse(iso) + 3_600_000).toISOString().replace('.000Z', '+01:00');
    return iso;
  });

/**
 * Short ids whose byte order (R1) differs from other plausible orders: mixed case ('B' < 'a' in
 * bytes, not in a linguistic collation) and '\uFF61' < '\u{1F600}' in UTF-8 but not in UTF-16.
 */
const messageIdArb: fc.Arbitrary<string> = fc
  .tuple(weighted([3, fc.constant('')], [1, fc.constantFrom('\uFF61', '\u{1F600}')], [1, fc.constant('é')]), fc.stringMatching(/^[0-9a-fA-F]{2}$/))
  .map(([prefix, hex]) => prefix + hex);

function userVariant(user: string | number): fc.Arbitrary<JsonValue> {
  return typeof user === 'number' ? fc.constantFrom<JsonValue>(user, String(user), ` ${user} `) : weighted<JsonValue>([4, fc.constant(user)], [1, fc.constant(` ${user} `)]);
}

function emailVariant(email: string): fc.Arbitrary<JsonValue> {
  const capitalised = email.replace(/(^|[@.])([a-z])/g, (_m, sep: string, c: string) => sep + c.toUpperCase());
  return weighted<JsonValue>([3, fc.constant(email)], [1, fc.constant(capitalised)], [1, fc.constant(email.toUpperCase())], [1, fc.constant(`  ${email} `)]);
}

interface Pools {
  browsers: string[];
  users: Array<string | number>;
  emails: string[];
}

const poolsArb: fc.Arbitrary<Pools> = fc
  .record({
    browsers: fc.integer({ min: 2, max: 4 }),
    users: fc.integer({ min: 1, max: 3 }),
    emails: fc.integer({ min: 0, max: 2 }),
    browserIsUser: weighted([6, fc.constant(false)], [1, fc.constant(true)]),
  })
  .map(({ browsers, users, emails, browserIsUser }) => {
    const pool: Pools = { browsers: BROWSERS.slice(0, browsers), users: USERS.slice(0, users), emails: EMAILS.slice(0, emails) };
    // Some apps use the account id as anonymousId: the same value is one identifier (untyped values).
    if (browserIsUser) pool.browsers[pool.browsers.length - 1] = String(pool.users[0]);
    return pool;
  });

const absent = fc.constant(undefined);

type Ids = Pick<ReferenceMessage, 'anonymousId' | 'userId'>;

/** Who a non-alias message is from. Blocked values and messages R7 rejects are kept rare. */
function idsArb(p: Pools): fc.Arbitrary<Ids> {
  const browser = weighted<JsonValue>([9, fc.constantFrom(...p.browsers)], [1, fc.constantFrom(...BLOCKED)]);
  const user = weighted<JsonValue>([9, fc.constantFrom(...p.users).chain(userVariant)], [1, fc.constantFrom(...BLOCKED)]);
  // analytics.js sends `userId: null` for anonymous visitors.
  const noUser = weighted<JsonValue | undefined>([2, absent], [1, fc.constant(null)]);
  return weighted<Ids>(
    [8, fc.record({ anonymousId: browser, userId: noUser })],
    [6, fc.record({ userId: user })],
    [10, fc.record({ anonymousId: browser, userId: user })],
    [1, fc.record({ anonymousId: weighted<JsonValue | undefined>([1, absent], [1, fc.constantFrom(...BLOCKED)]) })],
  );
}

const contextArb: fc.Arbitrary<JsonObject | undefined> = weighted<JsonObject | undefined>(
  [8, absent],
  [1, fc.constant({ active: false })],
  [1, fc.constant({ traits: { email: 'ctx@ignored.example', plan: 'ignored' } })],
);

const setOnceArb: fc.Arbitrary<JsonObject> = fc.record(
  { signup_source: fc.constantFrom('ads', 'organic'), plan: fc.constantFrom('free', 'trial') },
  { requiredKeys: [] },
);
const unsetArb: fc.Arbitrary<JsonValue[]> = fc.subarray<JsonValue>(['plan', 'cart', 'tier'], { minLength: 1 });

function identifyArb(p: Pools): fc.Arbitrary<Partial<ReferenceMessage>> {
  // The email trait is also an identifier (R5); sometimes it is a blocked value.
  const email = p.emails.length ? { email: weighted<JsonValue>([6, fc.constantFrom(...p.emails).chain(emailVariant)], [1, fc.constant('undefined')]) } : {};
  const traitsModel = {
    name: fc.constantFrom('Lia', 'Marco'),
    plan: fc.constantFrom('free', 'pro'),
    tier: fc.constantFrom('silver', 'gold'),
    ...email,
    $set_once: setOnceArb,
    $unset: unsetArb,
  };
  return fc
    .record({ ids: idsArb(p), traits: fc.record(traitsModel, { requiredKeys: [] }) as fc.Arbitrary<JsonObject> })
    .map(({ ids, traits }): Partial<ReferenceMessage> => ({ type: 'identify', ...ids, traits }));
}

function trackArb(p: Pools): fc.Arbitrary<Partial<ReferenceMessage>> {
  return fc
    .record({
      event: fc.constantFrom('Order Completed', 'Product Viewed', 'Signed Up'),
      revenue: fc.constantFrom(19.99, 42, 120.5),
      ops: fc.record(
        {
          $set: fc.record({ plan: fc.constantFrom('pro', 'enterprise'), cart: fc.constantFrom('empty', 'full'), email: fc.constant('set@by-track.example') }, { requiredKeys: [] }),
          $set_once: fc.record({ first_purchase: fc.constantFrom('shoes', 'hat') }, { requiredKeys: [] }),
          $unset: unsetArb,
        },
        { requiredKeys: [] },
      ),
      ids: idsArb(p),
    })
    .map(({ event, revenue, ops, ids }) => ({
      type: 'track' as const,
      event,
      ...ids,
      properties: event === 'Order Completed' ? { revenue, currency: 'EUR', ...ops } : ops,
    }));
}

function pageArb(p: Pools): fc.Arbitrary<Partial<ReferenceMessage>> {
  return fc
    .record({ path: fc.constantFrom('/', '/pricing', '/checkout'), landing: fc.boolean(), ids: idsArb(p) })
    .map(({ path, landing, ids }): Partial<ReferenceMessage> => {
      const properties: JsonObject = landing ? { path, $set_once: { landing_page: path } } : { path };
      return { type: 'page', name: path, ...ids, properties };
    });
}

function aliasArb(p: Pools): fc.Arbitrary<Partial<ReferenceMessage>> {
  return fc.record({
    type: fc.constant('alias' as const),
    previousId: weighted<JsonValue>([4, fc.constantFrom(...p.browsers)], [3, fc.constantFrom(...p.users).chain(userVariant)], [1, fc.constantFrom(...BLOCKED)]),
    userId: weighted<JsonValue>([6, fc.constantFrom(...p.users).chain(userVariant)], [1, fc.constantFrom(...BLOCKED)]),
  });
}

function messageBodyArb(p: Pools): fc.Arbitrary<Partial<ReferenceMessage>> {
  return weighted([4, pageArb(p)], [4, trackArb(p)], [4, identifyArb(p)], [1, aliasArb(p)]);
}

/** Drops keys whose value is undefined, so messages serialise exactly as built. */
function compact(message: Partial<ReferenceMessage>): ReferenceMessage {
  return Object.fromEntries(Object.entries(message).filter(([, v]) => v !== undefined)) as unknown as ReferenceMessage;
}

export const worldArb: fc.Arbitrary<World> = fc
  .record({
    pools: poolsArb,
    emailIdentity: weighted([4, fc.constant(true)], [1, fc.constant(false)]),
    blocked: weighted<string[]>([1, fc.constant([])], [1, fc.constant(WORKSPACE_BLOCKED)]),
    // Some worlds squeeze everything into two instants, so that messageId tie-breaks decide a lot.
    spread: weighted([3, fc.constant(5)], [1, fc.constant(1)]),
  })
  .chain(({ pools, emailIdentity, blocked, spread }) =>
    fc
      .array(fc.tuple(messageBodyArb(pools), timestampArb(spread), contextArb), { minLength: 1, maxLength: 16 })
      .chain((bodies) =>
        fc.uniqueArray(messageIdArb, { minLength: bodies.length, maxLength: bodies.length }).map((ids) => ({
          options: { emailIdentity, blocked: [...blocked] },
          messages: bodies.map(([body, timestamp, context], i) => compact({ ...body, messageId: ids[i] ?? `m${i}`, timestamp, context })),
        })),
      ),
  );

export function arrivalArb(n: number): fc.Arbitrary<Arrival> {
  const indices = Array.from({ length: n }, (_, i) => i);
  return fc.record({
    order: fc.shuffledSubarray(indices, { minLength: n, maxLength: n }),
    cuts: fc.array(weighted([2, fc.constant(false)], [1, fc.constant(true)]), { minLength: Math.max(0, n - 1), maxLength: Math.max(0, n - 1) }),
    retries: fc.array(fc.record({ position: fc.nat({ max: Math.max(0, n - 1) }), delay: fc.nat({ max: 3 }) }), { maxLength: Math.min(n, 4) }),
  });
}

export const scenarioArb: fc.Arbitrary<Scenario> = worldArb.chain((world) => arrivalArb(world.messages.length).map((arrival) => ({ world, arrival })));

/** Turns an arrival into the batches to POST, in order. Retries are deep, identical copies. */
export function toBatches(messages: readonly ReferenceMessage[], arrival: Arrival): ReferenceMessage[][] {
  const batches: ReferenceMessage[][] = [[]];
  const batchOfPosition: number[] = [];
  arrival.order.forEach((index, position) => {
    const message = messages[index];
    if (!message) throw new Error(`arrival order names message ${index} of ${messages.length}`);
    batches[batches.length - 1]?.push(message);
    batchOfPosition.push(batches.length - 1);
    if (arrival.cuts[position] && position < arrival.order.length - 1) batches.push([]);
  });
  for (const { position, delay } of arrival.retries) {
    const index = arrival.order[position];
    const original = index === undefined ? undefined : messages[index];
    const from = batchOfPosition[position];
    if (!original || from === undefined) continue;
    batches[Math.min(from + delay, batches.length - 1)]?.push(structuredClone(original));
  }
  return batches;
}

/** Every message of the batches, duplicates included, in sending order. */
export function flatten(batches: readonly ReferenceMessage[][]): ReferenceMessage[] {
  return batches.flat();
}

// ---------------------------------------------------------------------------------------------
// The worked examples of identity.md, as fixed worlds (arrival order as written there).

const options: WorldOptions = { emailIdentity: true, blocked: [] };

export const workedExamples: Record<'E1' | 'E2' | 'E3' | 'E4' | 'E5', World> = {
  E1: {
    options,
    messages: [
      { type: 'page', messageId: 'e1', anonymousId: 'X', timestamp: T(1) },
      { type: 'identify', messageId: 'e2', anonymousId: 'X', userId: 'c7', traits: { name: 'Lia' }, timestamp: T(2) },
      { type: 'track', messageId: 'e3', event: 'Signed Up', userId: 'c7', timestamp: T(3) },
    ],
  },
  E2: {
    options,
    messages: [
      { type: 'identify', messageId: 'e1', anonymousId: 'X', traits: { email: 'Lia@Mail.it' }, timestamp: T(1) },
      { type: 'identify', messageId: 'e2', anonymousId: 'Y', userId: 'c7', traits: { email: 'lia@mail.it' }, timestamp: T(5) },
    ],
  },
  E3: {
    options,
    messages: [
      { type: 'identify', messageId: 'e1', anonymousId: 'X', userId: 'c7', timestamp: T(1) },
      { type: 'identify', messageId: 'e2', anonymousId: 'X', userId: 'c9', timestamp: T(2) },
      { type: 'page', messageId: 'e3', anonymousId: 'X', timestamp: T(3) },
    ],
  },
  E4: {
    options,
    messages: [
      { type: 'identify', messageId: 'e2', userId: 'c7', traits: { tier: 'gold' }, timestamp: T(2) },
      { type: 'identify', messageId: 'e1', userId: 'c7', traits: { tier: 'silver' }, timestamp: T(1) },
    ],
  },
  E5: {
    options,
    messages: [
      { type: 'identify', messageId: 'e1', anonymousId: 'X', userId: 'undefined', timestamp: T(1) },
      { type: 'identify', messageId: 'e2', anonymousId: 'Z', userId: 'undefined', timestamp: T(2) },
    ],
  },
};

/** Contract cases the random worlds reach rarely, as fixed worlds (checked in both arrival orders). */
export const edgeCaseWorlds: Record<string, World> = {
  'tie on timestamp broken by UTF-8 bytes, not UTF-16 units': {
    options,
    messages: [
      { type: 'identify', messageId: '\u{1F600}1', anonymousId: 'X', userId: 'c9', timestamp: T(1) },
      { type: 'identify', messageId: '\uFF611', anonymousId: 'X', userId: 'c7', timestamp: T(1) },
      { type: 'identify', messageId: 'B1', userId: 'c7', traits: { plan: 'free' }, timestamp: T(2) },
      { type: 'identify', messageId: 'a1', userId: 'c7', traits: { plan: 'pro' }, timestamp: T(2) },
    ],
  },
  'phase 1 alias joins two known userIds, whatever the time order': {
    options,
    messages: [
      { type: 'identify', messageId: 'm1', anonymousId: 'X', userId: 'c7', timestamp: T(1) },
      { type: 'identify', messageId: 'm2', anonymousId: 'X', userId: 'c9', timestamp: T(2) },
      { type: 'alias', messageId: 'a1', previousId: 'c7', userId: 'c9', timestamp: T(9) },
      { type: 'alias', messageId: 'a2', previousId: 'legacy-7', userId: 'c7', timestamp: T(3) },
    ],
  },
  'email never joins two userIds; alias-only ids form a profile': {
    options,
    messages: [
      { type: 'identify', messageId: 'm2', userId: 'c9', traits: { email: ' LIA@mail.it' }, timestamp: T(2) },
      { type: 'identify', messageId: 'm1', userId: 'c7', traits: { email: 'lia@mail.it' }, timestamp: T(1) },
      { type: 'alias', messageId: 'a1', previousId: 'old-1', userId: 'new-1', timestamp: T(3) },
    ],
  },
  'numbers, trimming, blocked and rejected values': {
    options: { emailIdentity: true, blocked: ['test-user'] },
    messages: [
      { type: 'identify', messageId: 'm1', anonymousId: 'X', userId: 1042, timestamp: T(1) },
      { type: 'page', messageId: 'm2', userId: ' 1042 ', timestamp: T(2) },
      { type: 'page', messageId: 'm3', anonymousId: '1042', userId: null, timestamp: T(3) },
      { type: 'identify', messageId: 'm4', anonymousId: 'Y', userId: ' test-user ', timestamp: T(1) },
      { type: 'identify', messageId: 'm5', anonymousId: 'Z', userId: '"null"', timestamp: T(1) },
      { type: 'page', messageId: 'm6', anonymousId: '0', userId: 'undefined', timestamp: T(1) },
      { type: 'identify', messageId: 'm7', traits: { email: 'lia@mail.it' }, timestamp: T(1) },
      { type: 'alias', messageId: 'a1', previousId: 'X', userId: 'none', timestamp: T(1) },
    ],
  },
  'email identity off; context.traits ignored; context.active false does not advance lastSeen': {
    options: { emailIdentity: false, blocked: [] },
    messages: [
      { type: 'identify', messageId: 'm1', anonymousId: 'X', traits: { email: 'lia@mail.it' }, timestamp: T(1) },
      { type: 'identify', messageId: 'm2', anonymousId: 'Y', userId: 'c7', traits: { email: 'lia@mail.it' }, context: { traits: { plan: 'x' } }, timestamp: T(2) },
      { type: 'track', messageId: 'm3', event: 'Order Completed', userId: 'c7', properties: { revenue: 42, $set: { plan: 'pro' } }, context: { active: false }, timestamp: T(5) },
    ],
  },
};
