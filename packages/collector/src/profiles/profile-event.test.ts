// Protects the properties projection: folding events with only the properties profiles read (PROFILE_PROPERTIES, nulls dropped) gives the profile their whole properties give.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { event } from './arbitraries.ts';
import { foldProfile } from './build.ts';
import { propertiesProfilesRead } from './profile-event.ts';

describe('the properties a profile reads', () => {
  it('fold to the same profile as the whole properties', () => {
    fc.assert(fc.property(fc.uniqueArray(event, { selector: (e) => e.messageId, maxLength: 25 }), (events) => {
      const projected = events.map((e) => ({ ...e, properties: propertiesProfilesRead(e.properties) }));
      expect(foldProfile(null, projected)).toEqual(foldProfile(null, events));
    }), { numRuns: 300 });
  });

  it('keep the read keys with their values, drop the rest and every null', () => {
    expect(propertiesProfilesRead({ category: 'shoes', currency: null, url: 'https://x.test/', $set: { plan: 'pro' } })).toEqual({ category: 'shoes', $set: { plan: 'pro' } });
    expect(propertiesProfilesRead({ title: 'Home' })).toBeNull();
    expect(propertiesProfilesRead(['category'])).toBeNull();
  });
});
