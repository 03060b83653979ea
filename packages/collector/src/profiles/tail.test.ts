// Protects the pending tail: it hands the refresher a profile's events only when it holds exactly the ones the marker counts, never events already folded, and stays bounded.
import { describe, expect, it } from 'vitest';
import { createPendingTail } from './tail.ts';
import type { ProfileEvent } from './types.ts';

const event = (messageId: string, timestamp: string): ProfileEvent => ({
  messageId, type: 'page', event: null, name: null, timestamp, sourceId: 's', channel: 'direct', utmSource: null, utmMedium: null,
  utmCampaign: null, referrer: null, referrerHost: null, url: null, path: null, deviceType: null, browser: null, os: null,
  country: null, isBot: false, properties: null, traits: null, context: null,
});
const at = (iso: string) => Date.parse(iso);

describe('pending tail', () => {
  it('hands over exactly the counted events, once', () => {
    const tail = createPendingTail();
    const a = event('a', '2026-01-01T00:00:01.000Z');
    const b = event('b', '2026-01-01T00:00:02.000Z');
    tail.add('ws', new Map([['p1', [a]]]));
    tail.add('ws', new Map([['p1', [b]], ['p2', [a]]]));
    expect(tail.size()).toBe(3);
    expect(tail.take('ws', 'p1', 2, null)).toEqual([a, b]);
    expect(tail.take('ws', 'p1', 0, null)).toEqual([]);
    expect(tail.take('other', 'p2', 1, null)).toBeNull();
    expect(tail.size()).toBe(1);
    tail.drop('ws', 'p2');
    expect(tail.size()).toBe(0);
    expect(tail.take('ws', 'p2', 1, null)).toBeNull();
  });

  it('answers null when it holds fewer or more than the marker counts (another process, a late hand-over)', () => {
    const tail = createPendingTail();
    tail.add('ws', new Map([['p', [event('a', '2026-01-01T00:00:01.000Z')]]]));
    expect(tail.take('ws', 'p', 2, null)).toBeNull();
    tail.add('ws', new Map([['p', [event('a', '2026-01-01T00:00:01.000Z'), event('b', '2026-01-01T00:00:02.000Z')]]]));
    expect(tail.take('ws', 'p', 1, null)).toBeNull();
  });

  it('drops what the stored fold already holds, by instant and then messageId', () => {
    const tail = createPendingTail();
    const folded = event('m', '2026-01-01T00:00:05.000Z');
    const sameInstantBefore = event('a', '2026-01-01T00:00:05.000Z');
    const sameInstantAfter = event('z', '2026-01-01T00:00:05.000Z');
    const later = event('b', '2026-01-01T00:00:06.000Z');
    tail.add('ws', new Map([['p', [folded, sameInstantBefore, sameInstantAfter, later]]]));
    expect(tail.take('ws', 'p', 2, { ms: at('2026-01-01T00:00:05.000Z'), messageId: 'm' })).toEqual([sameInstantAfter, later]);
  });

  it('empties itself rather than grow past its limit', () => {
    const tail = createPendingTail(3);
    tail.add('ws', new Map([['p1', [event('a', '2026-01-01T00:00:01.000Z'), event('b', '2026-01-01T00:00:02.000Z')]]]));
    tail.add('ws', new Map([['p2', [event('c', '2026-01-01T00:00:03.000Z'), event('d', '2026-01-01T00:00:04.000Z')]]]));
    expect(tail.size()).toBe(2);
    expect(tail.take('ws', 'p1', 2, null)).toBeNull();
    expect(tail.take('ws', 'p2', 2, null)).toHaveLength(2);
  });
});
