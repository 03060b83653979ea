// Protects payload reading: only plain decimal amounts count, ids unify numbers and strings, blanks are absent.
import { describe, expect, it } from 'vitest';
import { plainJson, productsOf, stableJson, text, toId, toNumber } from './values.ts';

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

  it('plainJson copies into what JSON would read back', () => {
    const odd = Object.assign(Object.create(null) as Record<string, unknown>, { a: 1, u: undefined, n: Number.NaN, l: [undefined, 2] });
    const out = plainJson(odd);
    expect(out).toStrictEqual({ a: 1, n: null, l: [null, 2] });
    expect(out).toStrictEqual(JSON.parse(JSON.stringify(odd)));
  });
});
