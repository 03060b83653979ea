import { message, newArrival, newDevice, newOrder, prng, type Device, type Json, type Kind, type Random } from './messages.ts';

/**
 * A year of a shop's traffic, for seeding: `visitors` people (60k for 1M events), each with a
 * heavy-tailed number of events (most bounce after a few pages, a few have thousands), split
 * into sessions spread over their active span of the last 365 days. About 15% log in (identify
 * with an email) at some session, some later on a second device; about 5% buy, 1-10 orders.
 * Batches come out in time order across everyone, as a replay of the year would send them.
 */
const DAY = 86_400_000;
const YEAR = 365 * DAY;
/** A visitor's events are capped: "a few visitors with thousands of events". */
const MAX_EVENTS = 5000;

interface Person {
  devices: Device[];
  userId?: string;
  /** The session where they log in first; Infinity when they never do. */
  identifyAt: number;
  orders: Set<number>;
}

interface Session { person: number; index: number; at: number; size: number }

export interface TrafficStats { visitors: number; identified: number; buyers: number; orders: number; maxEvents: number; over1000: number }

/** Events per visitor: Pareto (alpha 1.25, median ~5), scaled so the total is `events`. */
function activity(r: Random, visitors: number, events: number): number[] {
  const weights = Array.from({ length: visitors }, () => Math.pow(1 - r(), -1 / 1.25));
  const total = (k: number) => weights.reduce((sum, w) => sum + Math.min(MAX_EVENTS, Math.max(1, Math.round(w * k))), 0);
  let low = 0;
  let high = events;
  for (let i = 0; i < 60; i++) {
    const mid = (low + high) / 2;
    if (total(mid) < events) low = mid;
    else high = mid;
  }
  return weights.map((w) => Math.min(MAX_EVENTS, Math.max(1, Math.round(w * high))));
}

/** Sessions of 1-12 events (mean ~5), at times spread over the person's active span. */
function plan(r: Random, visitors: number, events: number, now: number) {
  const counts = activity(r, visitors, events);
  const people: Person[] = [];
  const sessions: Session[] = [];
  const stats: TrafficStats = { visitors, identified: 0, buyers: 0, orders: 0, maxEvents: Math.max(...counts), over1000: counts.filter((c) => c > 1000).length };
  counts.forEach((count, person) => {
    const sizes: number[] = [];
    for (let left = count; left > 0; ) {
      const size = Math.min(left, 1 + Math.floor(-Math.log(1 - r()) * 4.5) % 12);
      sizes.push(size);
      left -= size;
    }
    const n = sizes.length;
    // Regulars have been around longer; a one-visit person is one point in the year.
    const start = now - YEAR * (n > 20 ? 0.6 + 0.4 * r() : r());
    const end = n === 1 ? start : start + (now - start) * Math.sqrt(r());
    const times = sizes.map(() => start + (end - start) * r()).sort((a, b) => a - b);
    const loginOdds = n >= 30 ? 0.7 : n >= 5 ? 0.33 : n >= 2 ? 0.12 : 0.02;
    const p: Person = { devices: [newDevice(r)], identifyAt: Infinity, orders: new Set() };
    if (r() < loginOdds) {
      p.userId = `user_${person}_${Math.floor(r() * 1e6)}`;
      p.identifyAt = Math.floor(r() * r() * n);
      if (r() < 0.25) p.devices.push(newDevice(r));
      stats.identified++;
      // A third of those who log in buy: ~5% of visitors, 1-10 orders each.
      if (r() < 0.35) {
        const wanted = Math.min(10, 1 + Math.floor(-Math.log(1 - r()) * 1.6));
        for (let i = 0; i < wanted && p.orders.size < n - p.identifyAt; i++) {
          p.orders.add(p.identifyAt + Math.floor(r() * (n - p.identifyAt)));
        }
        stats.buyers++;
        stats.orders += p.orders.size;
      }
    }
    people.push(p);
    sizes.forEach((size, index) => sessions.push({ person, index, at: times[index]!, size: p.orders.has(index) ? Math.max(size, 4) : size }));
  });
  sessions.sort((a, b) => a.at - b.at);
  return { people, sessions, stats };
}

/** The messages of one session: land, browse, maybe log in, maybe buy at the end. */
function sessionMessages(r: Random, p: Person, s: Session, tag: string, counter: { n: number }): Json[] {
  const loggedIn = s.index > p.identifyAt;
  // After the first login, some sessions happen on the second device, which logs in again.
  const onSecond = loggedIn && p.devices.length > 1 && r() < 0.4;
  const device = onSecond ? p.devices[1]! : p.devices[0]!;
  const sender = { device, arrival: newArrival(r), userId: loggedIn && !onSecond ? p.userId : undefined };
  const order = p.orders.has(s.index) ? newOrder(r) : undefined;
  const loginStep = s.index === p.identifyAt || onSecond ? Math.min(1, s.size - 1) : -1;
  const out: Json[] = [];
  let at = s.at;
  for (let step = 0; step < s.size; step++) {
    const fromEnd = s.size - step;
    let kind: Kind = step === 0 ? 'page' : r() < 0.6 ? 'page' : 'browse';
    if (step === loginStep) kind = 'identify';
    else if (order && fromEnd <= 3) kind = (['order', 'checkout', 'cart'] as const)[fromEnd - 1]!;
    if (kind === 'identify') sender.userId = p.userId;
    out.push(message(r, sender, kind, step, `${tag}-${(counter.n++).toString(36)}`, new Date(at).toISOString(), order));
    at += 5_000 + Math.floor(r() * 85_000);
  }
  return out;
}

/** The year in batches of `perBatch` messages, exactly `events` in all, plus what it holds. */
export function seedTraffic(options: { events: number; visitors: number; perBatch: number; tag: string; seed?: number; now?: number }) {
  const r = prng(options.seed ?? 365);
  const { people, sessions, stats } = plan(r, options.visitors, options.events, options.now ?? Date.now());
  function* batches(): Generator<Json[]> {
    const counter = { n: 0 };
    let batch: Json[] = [];
    let sent = 0;
    for (const s of sessions) {
      for (const m of sessionMessages(r, people[s.person]!, s, options.tag, counter)) {
        if (sent++ >= options.events) break;
        batch.push(m);
        if (batch.length === options.perBatch) (yield batch, (batch = []));
      }
    }
    if (batch.length > 0) yield batch;
  }
  return { stats, batches };
}
