// Protects isoOf: the same string as Date#toISOString for every instant, including the edges of the four-digit years.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isoOf } from './iso.ts';

describe('isoOf', () => {
  it('equals toISOString for any millisecond', () => {
    fc.assert(fc.property(fc.integer({ min: -8.64e15, max: 8.64e15 }), (ms) => {
      expect(isoOf(ms)).toBe(new Date(ms).toISOString());
    }), { numRuns: 20000 });
  });

  it('equals toISOString at the edges', () => {
    for (const ms of [0, -1, 1, 86_399_999, 86_400_000, -62_167_219_200_000, -62_167_219_200_001, 253_402_300_799_999, 253_402_300_800_000, Date.UTC(2024, 1, 29, 23, 59, 59, 999)]) {
      expect(isoOf(ms)).toBe(new Date(ms).toISOString());
    }
  });
});
