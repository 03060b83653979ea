import { isoOf } from './iso.ts';
import { reactivityCounts, reactivityOf, type ReactivityCounts } from './reactivity.ts';
import { purchasesOf } from './purchases.ts';
import { Counter } from './tally.ts';
import type { Acquisition, Interest, ProductBought, ProfileState, Touchpoint, Touchpoints, ValueCount } from './types.ts';

/**
 * How a profile's state is stored: every fact and the fold, without what can be derived again
 * (rates, averages, the top currency, lastSeen = the last active instant) and with instants as
 * offsets from firstSeen. About a quarter of the facts' JSON, which matters because ingest
 * reads and rewrites the state of every profile a group touches. Traits live in their own column.
 */
export interface StoredProfile {
  v: 1;
  /** firstSeen in epoch ms; null before any event. Every instant below is an offset from it. */
  t0: number | null;
  /**
   * events, pageViews, sessions, engagedMs, 0, activeDays. The 0 was a count of bot events, which
   * ingest stores with no owner, so no profile ever saw one; kept so that older states decode.
   */
  s: [number, number, number, number, number, number];
  /** The last active instant (lastSeen, and where sessions continue). */
  pa?: number;
  /** The last event folded in: offset and messageId. */
  lk?: [number, string];
  tp?: Partial<Record<TouchKey, StoredTouch[]>>;
  ia?: StoredAcquisition;
  /** 0: the same as the initial acquisition. */
  la?: StoredAcquisition | 0;
  /** orders, revenue, first and last order (offsets), products, categories. */
  pu?: [number, number, number, number, [string, string | null, number, number][], [string, number][]];
  cu?: [string, number][];
  oi?: string[];
  re?: ReactivityCounts;
  in?: [string, number, number, number][];
}

type StoredTouch = [string, number, number, number];
type StoredAcquisition = [string, string | null, string | null, string | null, string | null, string | null, string | null];

const TOUCH_KEYS = { s: 'sources', ch: 'channels', ca: 'campaigns', de: 'devices', br: 'browsers', os: 'os', co: 'countries' } as const;
type TouchKey = keyof typeof TOUCH_KEYS;

const acquisitionTuple = (a: Acquisition): StoredAcquisition => [a.channel, a.source, a.medium, a.campaign, a.referrer, a.referrerHost, a.landingPage];
const acquisition = ([channel, source, medium, campaign, referrer, referrerHost, landingPage]: StoredAcquisition): Acquisition =>
  ({ channel, source, medium, campaign, referrer, referrerHost, landingPage });
const sameTuple = (x: readonly unknown[], y: readonly unknown[]) => x.length === y.length && x.every((v, i) => v === y[i]);

export function encodeProfile({ facts, fold }: ProfileState): StoredProfile {
  const t0 = facts.firstSeen === null ? null : Date.parse(facts.firstSeen);
  const off = (iso: string) => Date.parse(iso) - (t0 ?? 0);
  const st = facts.stats;
  const out: StoredProfile = { v: 1, t0, s: [st.events, st.pageViews, st.sessions, st.engagedMs, 0, st.activeDays] };
  if (fold.previousActive !== null) out.pa = fold.previousActive - (t0 ?? 0);
  if (fold.lastMs !== null && fold.lastMessageId !== null) out.lk = [fold.lastMs - (t0 ?? 0), fold.lastMessageId];
  const tp: Partial<Record<TouchKey, StoredTouch[]>> = {};
  for (const [short, long] of Object.entries(TOUCH_KEYS) as [TouchKey, keyof Touchpoints][]) {
    const list = facts.touchpoints[long];
    if (list.length > 0) tp[short] = list.map((t) => [t.value, t.count, off(t.first), off(t.last)]);
  }
  if (Object.keys(tp).length > 0) out.tp = tp;
  if (facts.initial) out.ia = acquisitionTuple(facts.initial);
  if (facts.last) {
    const last = acquisitionTuple(facts.last);
    out.la = out.ia && sameTuple(out.ia, last) ? 0 : last;
  }
  const p = facts.purchases;
  if (p.orders > 0) {
    out.pu = [p.orders, p.revenue, off(p.firstOrderAt!), off(p.lastOrderAt!), p.products.map((x) => [x.id, x.name, x.count, x.revenue]), p.categories.map((c) => [c.value, c.count])];
  }
  if (fold.currencies.length > 0) out.cu = fold.currencies.map((c) => [c.value, c.count]);
  if (fold.orderIds.length > 0) out.oi = fold.orderIds;
  const re = reactivityCounts(facts.reactivity);
  if (re.some((n) => n !== 0)) out.re = re;
  if (facts.interests.length > 0) out.in = facts.interests.map((i) => [i.category, i.count, off(i.last), i.decayedAtLast]);
  return out;
}

export function decodeProfile(s: StoredProfile, traits: Record<string, unknown>): ProfileState {
  const base = s.t0 ?? 0;
  const iso = (offset: number) => isoOf(base + offset);
  const touch = (list: StoredTouch[] = []): Touchpoint[] => list.map(([value, count, first, last]) => ({ value, count, first: iso(first), last: iso(last) }));
  const tp = s.tp ?? {};
  const touchpoints = Object.fromEntries(Object.entries(TOUCH_KEYS).map(([short, long]) => [long, touch(tp[short as TouchKey])])) as unknown as Touchpoints;
  const initial = s.ia ? acquisition(s.ia) : null;
  const last = s.la === 0 ? acquisition(s.ia!) : s.la ? acquisition(s.la) : null;
  const currencies: ValueCount[] = (s.cu ?? []).map(([value, count]) => ({ value, count }));
  const [orders, revenue, fo, lo, products, categories] = s.pu ?? [0, 0, null, null, [], []];
  const purchases = purchasesOf({
    orders, revenue,
    firstOrderAt: fo === null ? null : iso(fo),
    lastOrderAt: lo === null ? null : iso(lo),
    products: products.map(([id, name, count, rev]): ProductBought => ({ id, name, count, revenue: rev })),
    categories: categories.map(([value, count]) => ({ value, count })),
  }, Counter.from(currencies));
  const interests: Interest[] = (s.in ?? []).map(([category, count, at, decayedAtLast]) => ({ category, count, last: iso(at), decayedAtLast }));
  const [events, pageViews, sessions, engagedMs, , activeDays] = s.s;
  const lastSeen = s.pa === undefined ? null : iso(s.pa);
  return {
    facts: {
      firstSeen: s.t0 === null ? null : iso(0),
      lastSeen,
      traits,
      stats: { events, pageViews, sessions, engagedMs, activeDays },
      touchpoints,
      initial,
      last,
      purchases,
      reactivity: reactivityOf(s.re ?? [0, 0, 0, 0, 0, 0]),
      interests,
      historicalValue: revenue,
    },
    fold: {
      lastMs: s.lk ? base + s.lk[0] : null,
      lastMessageId: s.lk ? s.lk[1] : null,
      previousActive: s.pa === undefined ? null : base + s.pa,
      lastActiveDay: lastSeen === null ? null : lastSeen.slice(0, 10),
      orderIds: s.oi ?? [],
      currencies,
    },
  };
}
