import type { ProfileEvent } from './types.ts';
import { isRecord, stableJson } from './values.ts';

/** An event with its instant parsed once, so sorting and every builder share one reading. */
export interface Timed {
  readonly event: ProfileEvent;
  readonly ms: number;
  /** The instant re-emitted in one format, so equal instants always print the same. */
  readonly iso: string;
  /** R17: `context.active === false` marks messages the person did not cause (server sends). */
  readonly active: boolean;
}

export interface Canonical {
  /** Non-bot, non-alias events, one per messageId, in canonical order (R1). */
  readonly events: readonly Timed[];
  readonly botEvents: number;
}

const encoder = new TextEncoder();

/**
 * R1 orders messageIds as UTF-8 byte strings, which is code point order. JavaScript's `<`
 * compares UTF-16 units instead, and the two disagree once a string holds characters above
 * U+D7FF (an emoji sorts before U+FF61 in UTF-16 but after it in UTF-8), which would make the
 * order differ from PostgreSQL's `COLLATE "C"` and from other runtimes.
 */
export function compareUtf8(a: string, b: string): number {
  if (a === b) return 0;
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x === y) continue;
    // Fast path (all of ASCII): below the surrogate range, UTF-16 units sort like UTF-8 bytes.
    if (x < 0xd800 && y < 0xd800) return x < y ? -1 : 1;
    return compareEncoded(a, b);
  }
  return a.length < b.length ? -1 : 1;
}

function compareEncoded(a: string, b: string): number {
  const x = encoder.encode(a);
  const y = encoder.encode(b);
  const n = Math.min(x.length, y.length);
  for (let i = 0; i < n; i++) {
    const d = (x[i] ?? 0) - (y[i] ?? 0);
    if (d !== 0) return d < 0 ? -1 : 1;
  }
  if (x.length !== y.length) return x.length < y.length ? -1 : 1;
  // Distinct lone surrogates all encode as U+FFFD; units still give a total order.
  return a < b ? -1 : a > b ? 1 : 0;
}

// ECMAScript reads a date-time without offset as local time; the profile must not depend on
// the runtime's time zone, so such stamps are read as UTC.
const NO_OFFSET = /T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?$/;

/** Epoch milliseconds of an ISO stamp, NaN when unreadable. */
export function instant(timestamp: string): number {
  return Date.parse(NO_OFFSET.test(timestamp) ? `${timestamp}Z` : timestamp);
}

function compareNumbers(x: number, y: number): number {
  return x < y ? -1 : x > y ? 1 : 0;
}

/** R1 canonical order: instant, then messageId as UTF-8 bytes. Unreadable stamps sort last. */
export function compareCanonical(
  a: Pick<ProfileEvent, 'timestamp' | 'messageId'>,
  b: Pick<ProfileEvent, 'timestamp' | 'messageId'>,
): number {
  const x = instant(a.timestamp);
  const y = instant(b.timestamp);
  return compareNumbers(Number.isNaN(x) ? Infinity : x, Number.isNaN(y) ? Infinity : y)
    || compareUtf8(a.messageId, b.messageId);
}

function compareTimed(a: Timed, b: Timed): number {
  return compareNumbers(a.ms, b.ms) || compareUtf8(a.event.messageId, b.event.messageId);
}

/**
 * Between two copies of one messageId the earlier instant wins, then the smaller payload: the
 * pick must not depend on which copy came first in the input. The store already drops
 * duplicates (R4); this keeps the builder a function of the set even when handed a multiset.
 */
function preferred(candidate: Timed, kept: Timed): boolean {
  if (candidate.ms !== kept.ms) return candidate.ms < kept.ms;
  return stableJson(candidate.event) < stableJson(kept.event);
}

/** Parses, de-duplicates, drops bots (counting them) and alias messages, and sorts (R1). */
export function canonicalise(input: readonly ProfileEvent[]): Canonical {
  const byId = new Map<string, Timed>();
  for (const event of input) {
    const ms = instant(event.timestamp);
    if (!Number.isFinite(ms)) continue;
    const active = !(isRecord(event.context) && event.context.active === false);
    const timed: Timed = { event, ms, iso: new Date(ms).toISOString(), active };
    const kept = byId.get(event.messageId);
    if (kept === undefined || preferred(timed, kept)) byId.set(event.messageId, timed);
  }
  let botEvents = 0;
  const events: Timed[] = [];
  for (const timed of byId.values()) {
    // R14: alias messages carry identity only and belong to no profile's activity.
    if (timed.event.type === 'alias') continue;
    if (timed.event.isBot) botEvents++;
    else events.push(timed);
  }
  events.sort(compareTimed);
  return { events, botEvents };
}
