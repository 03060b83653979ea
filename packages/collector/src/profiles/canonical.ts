import { isoOf } from './iso.ts';
import { compareBytes as compareUtf8 } from '../identity/canonical.ts';
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
}

/** R1's byte order of messageIds, shared with the identity stage. */
export { compareUtf8 };

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

/** Whether an event at `ms` with `messageId` sorts after the given point, in R1 order. */
export function sortsAfter(ms: number, messageId: string, point: { ms: number; messageId: string }): boolean {
  return ms > point.ms || (ms === point.ms && compareUtf8(messageId, point.messageId) > 0);
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

/** Parses, de-duplicates, drops bots and alias messages, and sorts (R1). */
export function canonicalise(input: readonly ProfileEvent[]): Canonical {
  const byId = new Map<string, Timed>();
  for (const event of input) {
    const ms = instant(event.timestamp);
    if (!Number.isFinite(ms)) continue;
    const active = !(isRecord(event.context) && event.context.active === false);
    const timed: Timed = { event, ms, iso: isoOf(ms), active };
    const kept = byId.get(event.messageId);
    if (kept === undefined || preferred(timed, kept)) byId.set(event.messageId, timed);
  }
  const events: Timed[] = [];
  for (const timed of byId.values()) {
    // R14: alias messages carry identity only and belong to no profile's activity; bots stay out of profiles.
    if (timed.event.type !== 'alias' && !timed.event.isBot) events.push(timed);
  }
  events.sort(compareTimed);
  return { events };
}
