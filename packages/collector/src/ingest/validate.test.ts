// Protects message validation: every Segment type is checked by its own schema, identifiers follow R5, and each rejection names its field.
import { describe, expect, it } from 'vitest';
import { validateMessage } from './validate.ts';

const ok = (raw: unknown, type?: Parameters<typeof validateMessage>[2]) => {
  const result = validateMessage(raw, 0, type);
  if (!result.ok) throw new Error(JSON.stringify(result.error));
  return result.message;
};
const err = (raw: unknown) => {
  const result = validateMessage(raw, 3);
  if (result.ok) throw new Error('expected a rejection');
  return result.error;
};

describe('validateMessage', () => {
  it('turns numeric ids into decimal strings and trims ids (R5)', () => {
    expect(ok({ type: 'track', event: 'E', userId: 42, anonymousId: '  a1  ', messageId: 7 })).toMatchObject({ userId: '42', anonymousId: 'a1', messageId: '7' });
  });

  it('rejects ids over 255 characters and non-string ids', () => {
    expect(err({ type: 'track', event: 'E', userId: 'x'.repeat(256) })).toMatchObject({ index: 3, code: 'invalid_field', field: 'userId' });
    expect(err({ type: 'track', event: 'E', userId: true })).toMatchObject({ field: 'userId' });
  });

  it('needs a userId or an anonymousId except on alias (R7)', () => {
    expect(err({ type: 'identify', userId: '   ', messageId: 'm' })).toMatchObject({ code: 'no_valid_identifier', messageId: 'm' });
    expect(ok({ type: 'alias', userId: 'u', previousId: 'a' })).toMatchObject({ previousId: 'a' });
    expect(err({ type: 'alias', userId: 'u' })).toMatchObject({ field: 'previousId' });
  });

  it('checks each type’s own fields', () => {
    expect(err({ type: 'track', userId: 'u', event: '' })).toMatchObject({ field: 'event' });
    expect(err({ type: 'group', userId: 'u' })).toMatchObject({ field: 'groupId' });
    expect(err({ type: 'identify', userId: 'u', traits: [1] })).toMatchObject({ field: 'traits' });
    expect(err({ type: 'page', userId: 'u', properties: 'x' })).toMatchObject({ field: 'properties' });
    expect(err({ type: 'track', userId: 'u', event: 'E', context: 5 })).toMatchObject({ field: 'context' });
    expect(ok({ type: 'page', userId: 'u' })).toMatchObject({ type: 'page' });
    expect(ok({ type: 'screen', userId: 'u', name: 'Home' })).toMatchObject({ name: 'Home' });
  });

  it('accepts ISO-8601 times and refuses others', () => {
    expect(ok({ type: 'track', event: 'E', userId: 'u', timestamp: '2026-03-01T09:00:00+01:00' })).toBeTruthy();
    expect(err({ type: 'track', event: 'E', userId: 'u', timestamp: 'soon' })).toMatchObject({ field: 'timestamp' });
    expect(err({ type: 'track', event: 'E', userId: 'u', sentAt: '12000-01-01T00:00:00Z' })).toMatchObject({ field: 'sentAt' });
  });

  it('types by path when given, ignoring the body’s type', () => {
    expect(ok({ type: 'page', event: 'E', userId: 'u' }, 'track')).toMatchObject({ type: 'track', event: 'E' });
  });

  it('rejects non-objects, unknown types and messages over 32 KB', () => {
    expect(err(null)).toMatchObject({ code: 'invalid_message', messageId: null });
    expect(err({ type: 'click', userId: 'u', messageId: 'm' })).toMatchObject({ code: 'invalid_type', field: 'type', messageId: 'm' });
    expect(err({ type: 'track', event: 'E', userId: 'u', properties: { s: '€'.repeat(11 * 1024) } })).toMatchObject({ code: 'message_too_large' });
  });
});
