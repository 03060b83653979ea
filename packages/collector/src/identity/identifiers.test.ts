// Protects R6 and R5 for emails: placeholder values never act as identifiers, workspace values and patterns too, and only address-shaped emails count.
import { describe, expect, it } from 'vitest';
import { blockedMatcher, normaliseEmail } from './identifiers.ts';

describe('blockedMatcher', () => {
  const blocked = blockedMatcher(['n/a', '/^test-/i', '/[/']);
  it.each(['', '  ', 'null', ' NULL ', '"undefined"', "'none'", 'Anonymous', 'guest', 'unknown', 'id', 'user_id', 'userid', 'email', 'not_authenticated', 'true', 'FALSE', '[object Object]', '-1', '0', '000', '00000000-0000-0000-0000-000000000000', 'nil', 'NaN'])(
    'blocks %j',
    (value) => expect(blocked(value)).toBe(true),
  );
  it.each(['c7', 'a1b2', '10', 'lia@mail.it', 'nullable', '"c7"'])('keeps %j', (value) => expect(blocked(value)).toBe(false));
  it('blocks workspace values and patterns; an invalid pattern is an exact value', () => {
    expect(blocked('n/a')).toBe(true);
    expect(blocked('TEST-42')).toBe(true);
    expect(blocked('/[/')).toBe(true);
    expect(blocked('contest-42')).toBe(false);
  });
});

describe('normaliseEmail', () => {
  it('trims and lower-cases addresses and refuses the rest', () => {
    expect(normaliseEmail('  Lia@Mail.IT ')).toBe('lia@mail.it');
    expect(normaliseEmail('not an email')).toBeNull();
    expect(normaliseEmail(42)).toBeNull();
    expect(normaliseEmail(`${'a'.repeat(251)}@x.it`)).toBeNull();
  });
});
