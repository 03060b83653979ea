import type { Timed } from './canonical.ts';
import { compareUtf8 } from './canonical.ts';
import type { Touchpoint, Touchpoints, ValueCount } from './types.ts';
import { text } from './values.ts';

/** Most used first; equal counts by value so the order never depends on insertion. */
export function byCountThenValue<T extends { count: number }>(value: (row: T) => string) {
  return (a: T, b: T): number => b.count - a.count || compareUtf8(value(a), value(b));
}

/** An instant as stored (ISO) whose milliseconds are read only when a comparison needs them. */
interface Instant {
  iso: string;
  ms?: number;
}

const msOf = (x: Instant): number => (x.ms ??= Date.parse(x.iso));

/** Counts with first and last time per value; min/max make it independent of feed order. */
export class Tally {
  private readonly rows = new Map<string, { count: number; first: Instant; last: Instant }>();

  /** Continues from a stored list; its instants are parsed only for values that new events touch. */
  static from(list: readonly Touchpoint[] = []): Tally {
    const tally = new Tally();
    for (const t of list) tally.rows.set(t.value, { count: t.count, first: { iso: t.first }, last: { iso: t.last } });
    return tally;
  }

  add(value: string | null, at: Timed): void {
    if (value === null) return;
    const row = this.rows.get(value);
    if (row === undefined) {
      this.rows.set(value, { count: 1, first: at, last: at });
      return;
    }
    row.count++;
    if (at.ms < msOf(row.first)) row.first = at;
    if (at.ms > msOf(row.last)) row.last = at;
  }

  list(): Touchpoint[] {
    return [...this.rows]
      .map(([value, r]) => ({ value, count: r.count, first: r.first.iso, last: r.last.iso }))
      .sort(byCountThenValue((r) => r.value));
  }
}

/** Plain weighted counts (quantities bought per category and the like). */
export class Counter {
  private readonly counts = new Map<string, number>();

  /** Continues from a stored list. */
  static from(list: readonly ValueCount[] = []): Counter {
    const counter = new Counter();
    for (const { value, count } of list) counter.counts.set(value, count);
    return counter;
  }

  add(value: string | null, n = 1): void {
    if (value !== null) this.counts.set(value, (this.counts.get(value) ?? 0) + n);
  }

  list(): ValueCount[] {
    return [...this.counts].map(([value, count]) => ({ value, count })).sort(byCountThenValue((r) => r.value));
  }

  /** The most counted value, ties broken by value; null when empty. */
  top(): string | null {
    return this.list()[0]?.value ?? null;
  }
}

/**
 * Whether an event says how the person arrived: a page/screen view, or any event with
 * campaign or referrer data. Server-side events carry none, and their `unknown` channel
 * would otherwise swamp the channels a person actually came through.
 */
export function carriesAcquisition({ event: e }: Timed): boolean {
  return e.type === 'page' || e.type === 'screen'
    || [e.utmSource, e.utmMedium, e.utmCampaign, e.referrer, e.referrerHost].some((v) => text(v) !== null);
}

/** A campaign is named by utm_campaign; untitled tagged traffic falls back to source/medium. */
export function campaignKey(e: Timed['event']): string | null {
  const campaign = text(e.utmCampaign);
  if (campaign !== null) return campaign;
  const source = text(e.utmSource);
  return source === null ? null : `${source}/${text(e.utmMedium) ?? '(none)'}`;
}

export function buildTouchpoints(events: readonly Timed[], prior?: Touchpoints): Touchpoints {
  const t = {
    sources: Tally.from(prior?.sources), channels: Tally.from(prior?.channels), campaigns: Tally.from(prior?.campaigns),
    devices: Tally.from(prior?.devices), browsers: Tally.from(prior?.browsers), os: Tally.from(prior?.os),
    countries: Tally.from(prior?.countries),
  };
  for (const at of events) {
    const e = at.event;
    t.sources.add(text(e.sourceId), at);
    if (carriesAcquisition(at)) t.channels.add(text(e.channel), at);
    t.campaigns.add(campaignKey(e), at);
    t.devices.add(text(e.deviceType), at);
    t.browsers.add(text(e.browser), at);
    t.os.add(text(e.os), at);
    t.countries.add(text(e.country), at);
  }
  return {
    sources: t.sources.list(), channels: t.channels.list(), campaigns: t.campaigns.list(),
    devices: t.devices.list(), browsers: t.browsers.list(), os: t.os.list(), countries: t.countries.list(),
  };
}
