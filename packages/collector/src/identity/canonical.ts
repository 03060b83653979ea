/** R1: canonical order is (timestamp, messageId), messageIds compared as UTF-8 byte strings. */
export interface CanonicalKey {
  at: number;
  messageId: string;
}

const encoder = new TextEncoder();

/**
 * R1 orders messageIds as UTF-8 byte strings, which is code point order. JavaScript's `<`
 * compares UTF-16 units instead, and the two disagree once a string holds characters above
 * U+D7FF (an emoji sorts before U+FF61 in UTF-16 but after it in UTF-8), which would make the
 * order differ from PostgreSQL's `COLLATE "C"` and from other runtimes.
 */
export function compareBytes(a: string, b: string): number {
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

export function compareKeys(a: CanonicalKey, b: CanonicalKey): number {
  return a.at - b.at || compareBytes(a.messageId, b.messageId);
}
