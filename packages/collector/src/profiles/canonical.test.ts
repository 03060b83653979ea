// Protects R1: canonical order is (instant, messageId as UTF-8 bytes), and the builder sees each messageId once.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalise, compareCanonical, compareUtf8 } from './canonical.ts';
import { ev, T } from './fixtures.ts';

const sign = (n: number) => Math.sign(n) + 0;
const bytes = (s: string) => new TextEncoder().encode(s);
function compareBytes(a: string, b: string): number {
  const x = bytes(a), y = bytes(b);
  for (let i = 0; i < Math.min(x.length, y.length); i++) if (x[i] !== y[i]) return (x[i] ?? 0) - (y[i] ?? 0);
  return x.length - y.length;
}

describe('compareUtf8', () => {
  it('orders ASCII like bytes, prefixes first', () => {
    expect(compareUtf8('a', 'b')).toBe(-1);
    expect(compareUtf8('B', 'a')).toBe(-1);
    expect(compareUtf8('ab', 'a')).toBe(1);
    expect(compareUtf8('same', 'same')).toBe(0);
  });

  it('puts astral characters after U+E000..U+FFFF, unlike UTF-16 order', () => {
    const emoji = '\u{1F600}';
    expect(emoji < '\uFF61').toBe(true); // JavaScript's own order disagrees with R1
    expect(compareUtf8(emoji, '\uFF61')).toBe(1);
    expect(compareUtf8('x\uFF61', `x${emoji}`)).toBe(-1);
    expect(compareUtf8('é', 'z')).toBe(1);
  });

  it('agrees with a byte comparison of the UTF-8 encoding for every well-formed string', () => {
    const str = fc.string({ unit: 'binary', maxLength: 6 }).filter((s) => s.isWellFormed());
    fc.assert(fc.property(str, str, (a, b) => {
      expect(sign(compareUtf8(a, b))).toBe(sign(compareBytes(a, b)));
      expect(sign(compareUtf8(a, b)) + sign(compareUtf8(b, a))).toBe(0);
    }), { numRuns: 2000 });
  });

  it('is still a total order on lone surrogates', () => {
    expect(compareUtf8('\uD800', '\uD801')).toBe(-1);
    expect(compareUtf8('\uD801', '\uD800')).toBe(1);
  });
});

describe('compareCanonical', () => {
  it('compares instants, not strings, then messageIds', () => {
    const a = { timestamp: '2026-03-01T10:00:00+01:00', messageId: 'z' };
    const b = { timestamp: '2026-03-01T09:30:00Z', messageId: 'a' };
    expect(compareCanonical(a, b)).toBe(-1);
    expect(compareCanonical({ timestamp: T(1), messageId: 'b' }, { timestamp: T(1), messageId: 'a' })).toBe(1);
    expect(compareCanonical({ timestamp: 'garbage', messageId: 'a' }, { timestamp: T(1), messageId: 'b' })).toBe(1);
  });
});

describe('canonicalise', () => {
  it('sorts by time then messageId, and re-emits instants as UTC ISO', () => {
    const out = canonicalise([
      ev({ messageId: 'b', timestamp: T(1) }),
      ev({ messageId: 'a', timestamp: T(1) }),
      ev({ messageId: 'c', timestamp: '2026-03-01T09:00:00.000+00:00' }),
    ]);
    expect(out.events.map((t) => t.event.messageId)).toEqual(['c', 'a', 'b']);
    expect(out.events[0]?.iso).toBe('2026-03-01T09:00:00.000Z');
  });

  it('reads a stamp without offset as UTC, whatever the runtime time zone', () => {
    expect(canonicalise([ev({ timestamp: '2026-03-01T09:00:00' })]).events[0]?.iso).toBe('2026-03-01T09:00:00.000Z');
  });

  it('keeps one copy per messageId, chosen independently of input order', () => {
    const early = ev({ messageId: 'dup', timestamp: T(1), event: 'A' });
    const late = ev({ messageId: 'dup', timestamp: T(2), event: 'B' });
    const twinA = ev({ messageId: 'twin', timestamp: T(3), event: 'X' });
    const twinB = ev({ messageId: 'twin', timestamp: T(3), event: 'Y' });
    const pick = (list: typeof early[]) => canonicalise(list).events.map((t) => t.event.event);
    expect(pick([early, late, twinA, twinB])).toEqual(['A', 'X']);
    expect(pick([twinB, late, twinA, early])).toEqual(['A', 'X']);
  });

  it('drops alias messages, unreadable stamps and bots', () => {
    const out = canonicalise([
      ev({ type: 'alias' }), ev({ timestamp: 'not a date' }), ev({ isBot: true }), ev({ isBot: true }), ev(),
    ]);
    expect(out.events).toHaveLength(1);
    expect(out.events[0]!.event.isBot).toBeFalsy();
  });
});
