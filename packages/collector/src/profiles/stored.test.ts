// Protects the stored form of a profile: decoding what was encoded (through JSON, as the database keeps it) gives back every fact and the fold exactly.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { shuffled } from './arbitraries.ts';
import { foldProfile } from './build.ts';
import { decodeProfile, encodeProfile } from './stored.ts';

describe('encodeProfile / decodeProfile', () => {
  it('round-trips the state of any set of events, byte for byte', () => {
    fc.assert(fc.property(shuffled, ([events]) => {
      const state = foldProfile(null, events);
      const stored = JSON.parse(JSON.stringify(encodeProfile(state)));
      const back = decodeProfile(stored, state.facts.traits);
      expect(back).toEqual(state);
      expect(JSON.stringify(back.facts)).toBe(JSON.stringify(state.facts));
    }), { numRuns: 400 });
  });

  it('is smaller than the facts and fold it stands for', () => {
    fc.assert(fc.property(shuffled, ([events]) => {
      const state = foldProfile(null, events);
      const { traits, ...facts } = state.facts;
      expect(JSON.stringify(encodeProfile(state)).length).toBeLessThan(JSON.stringify({ facts, fold: state.fold }).length);
    }), { numRuns: 100 });
  });
});
