// Invariant: every request body stays under the 64 KB keepalive limit (whatever the characters), retries back off exponentially with jitter, and only answers a retry cannot fix settle a batch.
import { expect, test } from 'vitest';
import { backoff, firstBatch, LIMIT, settled } from './transport';

const bytes = (v: unknown): number => Buffer.byteLength(JSON.stringify(v));
const msg = (i: number, pad: string) => ({ type: 'track', messageId: 'm' + i, event: 'E', properties: { pad } });

/** Splits all items the way the tracker does: first batch, then the rest. */
function split<T>(items: T[]): T[][] {
  const out: T[][] = [];
  while (items.length) {
    const b = firstBatch(items);
    out.push(b);
    items = items.slice(b.length);
  }
  return out;
}

test('batches of ASCII and of multi-byte text stay within the limit, in order, nothing lost', () => {
  for (const pad of ['a'.repeat(3000), 'é'.repeat(3000), '日本'.repeat(2000), '😀'.repeat(800)]) {
    const items = Array.from({ length: 120 }, (_, i) => msg(i, pad));
    const batches = split(items);
    expect(batches.length).toBeGreaterThan(1);
    for (const b of batches) {
      // The envelope {"batch":[...],"sentAt":"2026-...Z"} adds at most 60 bytes.
      expect(bytes({ batch: b, sentAt: new Date() })).toBeLessThanOrEqual(65536);
      expect(bytes(b)).toBeLessThanOrEqual(LIMIT);
    }
    expect(batches.flat()).toEqual(items);
  }
});

test('small queues go in one batch; a single oversized message goes alone', () => {
  const small = Array.from({ length: 20 }, (_, i) => msg(i, 'x'));
  expect(firstBatch(small)).toEqual(small);
  const huge = [msg(0, 'x'.repeat(70000)), msg(1, 'y')];
  expect(firstBatch(huge)).toEqual([huge[0]]);
});

test('backoff doubles from one second up to a minute, jittered down by at most half', () => {
  expect([0, 1, 2, 3].map((n) => backoff(n, 0))).toEqual([1000, 2000, 4000, 8000]);
  expect(backoff(20, 0)).toBe(60000);
  expect(backoff(0, 1)).toBe(500);
  for (let i = 0; i < 100; i++) {
    const d = backoff(3);
    expect(d).toBeGreaterThanOrEqual(4000);
    expect(d).toBeLessThanOrEqual(8000);
  }
});

test('2xx and 4xx settle a batch; 5xx and 429 retry', () => {
  expect([200, 204, 400, 401, 413].map(settled)).toEqual([true, true, true, true, true]);
  expect([429, 500, 502, 503].map(settled)).toEqual([false, false, false, false]);
});
