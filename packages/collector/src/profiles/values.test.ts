// Protects payload reading: only plain decimal amounts count, ids unify numbers and strings, blanks are absent.
import { describe, expect, it } from 'vitest';
import { productsOf, stableJson, text, toId, toNumber } from './values.ts';

describe('values', () => {
  it('toNumber reads finite numbers and plain decimal strings only', () => {
    expect([12, ' 12.5 ', '-3', '.5', '1e3', 'Infinity', '0x10', '', '12,50', null, true, Number.NaN].map(toNumber))
      .toEqual([12, 12.5, -3, 0.5, 1000, null, null, null, null, null, null, null]);
  });

  it('toId and text trim and drop blanks', () => {
    expect([toId(7), toId(' a '), toId(''), toId({}), text('  '), text(3)]).toEqual(['7', 'a', null, null, null, null]);
  });

  it('stableJson ignores key order', () => {
    expect(stableJson({ b: [1, { d: 1, c: 2 }], a: null })).toBe(stableJson({ a: null, b: [1, { c: 2, d: 1 }] }));
  });

  it('productsOf keeps object entries of an array', () => {
    expect(productsOf({ products: [{ a: 1 }, 'x', null, [1]] })).toEqual([{ a: 1 }]);
    expect(productsOf({ products: 'nope' })).toEqual([]);
  });
});
