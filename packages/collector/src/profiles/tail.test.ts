// Protects the pending tail: it hands the refresher a profile's events only when it holds every batch claimed, never a batch not claimed or an event the stored fold already passed, and stays bounded.
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
  it('hands over the events of the claimed batches, once', () => {
    const tail = createPendingTail();
    const a = event('a', '2026-01-01T00:00:01.000Z');
    const b = event('b', '2026-01-01T00:00:02.000Z');
    tail.add('ws', 1, new Map([['p1', [a]]]));
    tail.add('ws', 2, new Map([['p1', [b]], ['p2', [a]], ['p3', []]]));
    expect(tail.size()).toBe(3);
    expect(tail.take('ws', 'p1', [1, 2], null)).toEqual([a, b]);
    expect(tail.take('ws', 'p1', [2], null)).toBeNull();
    expect(tail.take('ws', 'p3', [2], null)).toEqual([]);
    expect(tail.take('other', 'p2', [2], null)).toBeNull();
    expect(tail.size()).toBe(1);
    tail.drop('ws', 'p2', [2]);
    expect(tail.size()).toBe(0);
    expect(tail.take('ws', 'p2', [2], null)).toBeNull();
  });

  it('keeps a batch the claim did not take (a group that committed after the claim)', () => {
    const tail = createPendingTail();
    const a = event('a', '2026-01-01T00:00:01.000Z');
    const b = event('b', '2026-01-01T00:00:02.000Z');
    tail.add('ws', 1, new Map([['p', [a]]]));
    tail.add('ws', 2, new Map([['p', [b]]]));
    expect(tail.take('ws', 'p', [1], null)).toEqual([a]);
    expect(tail.size()).toBe(1);
    tail.drop('ws', 'p', [1]);
    expect(tail.take('ws', 'p', [2], { ms: at('2026-01-01T00:00:01.000Z'), messageId: 'a' })).toEqual([b]);
  });

  it('answers null when a claimed batch is missing (another process stored it), and forgets the rest', () => {
    const tail = createPendingTail();
    tail.add('ws', 1, new Map([['p', [event('a', '2026-01-01T00:00:01.000Z')]]]));
    expect(tail.take('ws', 'p', [1, 7], null)).toBeNull();
    expect(tail.size()).toBe(0);
  });

  it('answers null when an event does not sort after the stored fold, by instant and then messageId', () => {
    const tail = createPendingTail();
    const sameInstantAfter = event('z', '2026-01-01T00:00:05.000Z');
    const later = event('b', '2026-01-01T00:00:06.000Z');
    const fold = { ms: at('2026-01-01T00:00:05.000Z'), messageId: 'm' };
    tail.add('ws', 1, new Map([['p', [sameInstantAfter, later]]]));
    expect(tail.take('ws', 'p', [1], fold)).toEqual([sameInstantAfter, later]);
    tail.add('ws', 2, new Map([['p', [event('a', '2026-01-01T00:00:05.000Z'), later]]]));
    expect(tail.take('ws', 'p', [2], fold)).toBeNull();
  });

  it('empties itself rather than grow past its limit', () => {
    const tail = createPendingTail(3);
    tail.add('ws', 1, new Map([['p1', [event('a', '2026-01-01T00:00:01.000Z'), event('b', '2026-01-01T00:00:02.000Z')]]]));
    tail.add('ws', 2, new Map([['p2', [event('c', '2026-01-01T00:00:03.000Z'), event('d', '2026-01-01T00:00:04.000Z')]]]));
    expect(tail.size()).toBe(2);
    expect(tail.take('ws', 'p1', [1], null)).toBeNull();
    expect(tail.take('ws', 'p2', [2], null)).toHaveLength(2);
  });
});
