// Invariant: the anonymous id is a random v4 UUID made once and then kept, with or without crypto.randomUUID.
import { beforeEach, expect, test } from 'vitest';
import { installFakeBrowser } from './fake-browser';
import { anonymousId, uuid } from './identity';
import { setPersist, wipe } from './storage';

const V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

beforeEach(() => {
  installFakeBrowser();
  setPersist(true);
  wipe();
});

test('uuid gives distinct v4 UUIDs', () => {
  const ids = new Set(Array.from({ length: 100 }, uuid));
  expect(ids.size).toBe(100);
  for (const id of ids) expect(id).toMatch(V4);
});

test('the anonymous id is created once and kept', () => {
  const first = anonymousId();
  expect(first).toMatch(V4);
  expect(anonymousId()).toBe(first);
  wipe();
  expect(anonymousId()).not.toBe(first);
});
