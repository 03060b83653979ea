// Protects the Node runtime's settings: VISTA_PROFILES takes exactly its documented values, and anything else stops the start.
import { describe, expect, it } from 'vitest';
import { readConfig } from './config.ts';

describe('readConfig', () => {
  it('reads VISTA_PROFILES as on, off or identities only', () => {
    const profiles = (value?: string) => readConfig(value === undefined ? {} : { VISTA_PROFILES: value }).profiles;
    expect([profiles(), profiles('1'), profiles('true')]).toEqual([true, true, true]);
    expect([profiles('0'), profiles('false')]).toEqual([false, false]);
    expect(profiles('identities')).toBe('identities');
    expect(() => profiles('yes')).toThrow(/VISTA_PROFILES must be 1, 0 or identities, not yes/);
  });
});
