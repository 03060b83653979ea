// Protects: rule R2 (clock skew) of conformance/identity.md: timestamp = receivedAt - (sentAt - deviceTime).
import { describe, expect, it } from 'vitest';
import { correctTimestamp } from './clock.ts';

const receivedAt = new Date('2026-03-01T09:00:10.000Z');

describe('correctTimestamp', () => {
  it('with sentAt, replays the device gap against receivedAt', () => {
    const result = correctTimestamp({
      timestamp: '2026-03-01T08:59:00.000Z', sentAt: '2026-03-01T09:00:00.000Z', receivedAt,
    });
    expect(result.toISOString()).toBe('2026-03-01T08:59:10.000Z');
  });

  it('corrects a device clock two hours fast', () => {
    // The event happens at 09:00:00 server time; the device clock reads 11:00:00 for it,
    // sends 3 s later (11:00:03 device time) and the request lands at 09:00:03.
    const result = correctTimestamp({
      originalTimestamp: '2026-03-01T11:00:00.000Z', sentAt: '2026-03-01T11:00:03.000Z',
      receivedAt: new Date('2026-03-01T09:00:03.000Z'),
    });
    expect(result.toISOString()).toBe('2026-03-01T09:00:00.000Z');
  });

  it('with sentAt, uses originalTimestamp when timestamp is absent', () => {
    const result = correctTimestamp({
      originalTimestamp: '2026-03-01T08:00:00.000Z', sentAt: '2026-03-01T08:00:30.000Z', receivedAt,
    });
    expect(result.toISOString()).toBe('2026-03-01T08:59:40.000Z');
  });

  it('with sentAt, prefers timestamp over originalTimestamp', () => {
    const result = correctTimestamp({
      timestamp: '2026-03-01T08:59:50.000Z', originalTimestamp: '2000-01-01T00:00:00.000Z',
      sentAt: '2026-03-01T09:00:00.000Z', receivedAt,
    });
    expect(result.toISOString()).toBe('2026-03-01T09:00:00.000Z');
  });

  it('with sentAt but no device time, returns receivedAt', () => {
    const result = correctTimestamp({ sentAt: '2026-03-01T09:00:00.000Z', receivedAt });
    expect(result.getTime()).toBe(receivedAt.getTime());
    expect(result).not.toBe(receivedAt);
  });

  it('without sentAt, keeps the payload timestamp as given (server libraries, imports)', () => {
    expect(correctTimestamp({ timestamp: '2020-05-05T05:05:05.000Z', receivedAt }).toISOString()).toBe('2020-05-05T05:05:05.000Z');
  });

  it('without sentAt, falls back to originalTimestamp', () => {
    expect(correctTimestamp({ originalTimestamp: '2021-01-01T00:00:00+02:00', receivedAt }).toISOString()).toBe(
      '2020-12-31T22:00:00.000Z',
    );
  });

  it('without sentAt or device time, returns receivedAt', () => {
    expect(correctTimestamp({ receivedAt }).getTime()).toBe(receivedAt.getTime());
  });

  it('treats unparsable values as absent', () => {
    expect(correctTimestamp({ timestamp: 'garbage', sentAt: 'nope', receivedAt }).getTime()).toBe(receivedAt.getTime());
    expect(
      correctTimestamp({ timestamp: 'garbage', originalTimestamp: '2026-03-01T08:00:00.000Z', receivedAt }).toISOString(),
    ).toBe('2026-03-01T08:00:00.000Z');
    expect(correctTimestamp({ timestamp: '2026-03-01T08:00:00.000Z', sentAt: '', receivedAt }).toISOString()).toBe(
      '2026-03-01T08:00:00.000Z',
    );
  });
});
