/** R1: canonical order is (timestamp, messageId), messageIds compared as UTF-8 byte strings. */
export interface CanonicalKey {
  at: number;
  messageId: string;
}

const encoder = new TextEncoder();
const ASCII = /^[\x00-\x7f]*$/;

/** UTF-16 order differs from UTF-8 byte order only outside ASCII, so ASCII takes the fast path. */
export function compareBytes(a: string, b: string): number {
  if (a === b) return 0;
  if (ASCII.test(a) && ASCII.test(b)) return a < b ? -1 : 1;
  const x = encoder.encode(a);
  const y = encoder.encode(b);
  const n = Math.min(x.length, y.length);
  for (let i = 0; i < n; i++) if (x[i] !== y[i]) return x[i]! - y[i]!;
  return x.length - y.length;
}

export function compareKeys(a: CanonicalKey, b: CanonicalKey): number {
  return a.at - b.at || compareBytes(a.messageId, b.messageId);
}
