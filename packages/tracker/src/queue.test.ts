// Invariant: the persisted queue is bounded (oldest events dropped first) and an event leaves it only when acknowledged.
import { expect, test } from 'vitest';
import { done, enqueue, MAX, pending, save } from './queue';
import type { Message } from './types';

const m = (i: number): Message => ({ type: 'track', messageId: 'id' + i, anonymousId: 'a', timestamp: '', context: {}, event: 'E' + i });

test('beyond the bound the oldest events go first', () => {
  save([]);
  for (let i = 0; i < MAX + 50; i++) enqueue(m(i));
  expect(pending).toHaveLength(MAX);
  expect(pending[0]!.messageId).toBe('id50');
  expect(pending.at(-1)!.messageId).toBe('id' + (MAX + 49));
});

test('acknowledged events leave the queue, the others stay in order', () => {
  save([]);
  for (let i = 0; i < 5; i++) enqueue(m(i));
  done(pending.slice(1, 3));
  expect(pending.map((x) => x.messageId)).toEqual(['id0', 'id3', 'id4']);
});
