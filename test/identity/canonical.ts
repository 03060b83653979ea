// Canonical order (R1) and the small formatting helpers shared by the reference and the tests.

/** Compares two strings as UTF-8 byte strings (R1), NOT as JavaScript UTF-16 code units. */
export function compareBytes(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

/** Sorts a copy of `values` by UTF-8 bytes. */
export function sortedBytes(values: Iterable<string>): string[] {
  return [...values].sort(compareBytes);
}

/** Milliseconds since the epoch of an ISO-8601 timestamp; throws on an unparsable value. */
export function instantOf(timestamp: string): number {
  const ms = new Date(timestamp).getTime();
  if (Number.isNaN(ms)) throw new Error(`invalid timestamp: ${JSON.stringify(timestamp)}`);
  return ms;
}

/** The one textual form used for timestamps in states: `new Date(x).toISOString()`. */
export function normaliseTimestamp(timestamp: string): string {
  return new Date(instantOf(timestamp)).toISOString();
}

/** R1: the instant first, then the messageId as a byte string. */
export function compareCanonical(
  a: { timestamp: string; messageId: string },
  b: { timestamp: string; messageId: string },
): number {
  const byTime = instantOf(a.timestamp) - instantOf(b.timestamp);
  if (byTime !== 0) return byTime < 0 ? -1 : 1;
  return compareBytes(a.messageId, b.messageId);
}

/** JSON with object keys sorted (by bytes) at every depth: equal values give equal text. */
export function stableJson(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value).sort(([a], [b]) => compareBytes(a, b));
    return Object.fromEntries(entries.map(([k, v]) => [k, sortKeys(v)]));
  }
  return value;
}
