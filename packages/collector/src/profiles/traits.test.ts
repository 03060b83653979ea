// Protects R15/R16: traits are the per-key fold in canonical order (latest set, earliest set_once, unset clears), never arrival order.
import { describe, expect, it } from 'vitest';
import { canonicalise } from './canonical.ts';
import { ev, identify, T, track } from './fixtures.ts';
import { foldTraits } from './traits.ts';
import type { ProfileEvent } from './types.ts';

const fold = (events: ProfileEvent[]) => foldTraits(canonicalise(events).events);

describe('foldTraits', () => {
  it('E4: the later identify wins by time, not by arrival', () => {
    const gold = identify({ tier: 'gold' }, { messageId: 'e2', timestamp: T(2) });
    const silver = identify({ tier: 'silver' }, { messageId: 'e1', timestamp: T(1) });
    expect(fold([gold, silver])).toEqual({ tier: 'gold' });
    expect(fold([silver, gold])).toEqual({ tier: 'gold' });
  });

  it('E1: identify traits become traits; plain track properties do not', () => {
    expect(fold([identify({ name: 'Lia' }, { timestamp: T(2) }), track('Viewed', { name: 'Other' }, { timestamp: T(3) })]))
      .toEqual({ name: 'Lia' });
  });

  it('keeps the earliest set_once and lets any set override it', () => {
    const events = [
      identify({ $set_once: { source: 'late' } }, { timestamp: T(3) }),
      identify({ $set_once: { source: 'early', plan: 'free' } }, { timestamp: T(1) }),
      identify({ plan: 'pro' }, { timestamp: T(2) }),
    ];
    expect(fold(events)).toEqual({ source: 'early', plan: 'pro' });
  });

  it('a set_once after a set does not apply', () => {
    expect(fold([identify({ plan: 'pro' }, { timestamp: T(1) }), identify({ $set_once: { plan: 'free' } }, { timestamp: T(2) })]))
      .toEqual({ plan: 'pro' });
  });

  it('looks only after the last unset: set_once may set the key again', () => {
    const events = [
      identify({ plan: 'pro', $set_once: { first: 'a' } }, { timestamp: T(1) }),
      identify({ $unset: ['plan', 'first'] }, { timestamp: T(2) }),
      identify({ $set_once: { first: 'b' } }, { timestamp: T(3) }),
    ];
    expect(fold(events)).toEqual({ first: 'b' });
  });

  it('within one message applies set_once, then set, then unset', () => {
    expect(fold([identify({ $set_once: { a: 'once' }, a: 'set', b: 'set', $unset: ['b'] })])).toEqual({ a: 'set' });
  });

  it('reads $set, $set_once and $unset under properties of other messages', () => {
    const events = [
      identify({ plan: 'free', color: 'red' }, { timestamp: T(1) }),
      track('Upgraded', { $set: { plan: 'pro' }, $set_once: { upgradedFirst: T(2), color: 'blue' }, $unset: ['color'], price: 9 }, { timestamp: T(2) }),
      ev({ type: 'page', event: null, properties: { $set: { seenPricing: true } }, timestamp: T(3) }),
    ];
    expect(fold(events)).toEqual({ plan: 'pro', upgradedFirst: T(2), seenPricing: true });
  });

  it('ignores context.traits, group traits and malformed operators', () => {
    const events = [
      identify({ a: 1, $set_once: 'nope', $unset: 'a' }, { context: { traits: { ghost: true } } }),
      ev({ type: 'group', event: null, traits: null, properties: null }),
      track('E', { $set: ['not', 'an', 'object'], $unset: [1, null] }),
    ];
    expect(fold(events)).toEqual({ a: 1 });
  });

  it('stores awkward keys as data, in a stable key order', () => {
    const traits = JSON.parse('{"__proto__": {"polluted": true}, "b": 1, "a": 2}') as Record<string, unknown>;
    const out = fold([identify(traits)]);
    expect(Object.keys(out)).toEqual(['__proto__', 'a', 'b']);
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('returns copies, so editing the facts never edits the events', () => {
    const address = { city: 'Rome' };
    const out = fold([identify({ address })]);
    expect(out.address).toEqual(address);
    expect(out.address).not.toBe(address);
  });
});
