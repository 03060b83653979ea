// Invariant: the anonymous id and opt-out survive clearing either the cookie or localStorage, nothing is written while not persisting (cookieless, before consent), and a wipe forgets all but the opt-out.
import { beforeEach, expect, test } from 'vitest';
import { installFakeBrowser, type FakeBrowser } from './fake-browser';
import { get, set, setPersist, wipe } from './storage';

let b: FakeBrowser;
beforeEach(() => {
  b = installFakeBrowser();
  setPersist(false);
  wipe();
});

test('ids go to both the cookie and localStorage, and either restores them', () => {
  setPersist(true);
  set('vista_i', 'abc');
  expect(b.cookies.get('vista_i')).toBe('abc');
  expect(b.local.vista_i).toBe('abc');
  b.cookies.clear();
  expect(get('vista_i')).toBe('abc');
  b.cookies.set('vista_i', 'abc');
  delete b.local.vista_i;
  expect(get('vista_i')).toBe('abc');
});

test('free-form values stay out of cookies', () => {
  setPersist(true);
  set('vista_q', '[{"big":"queue"}]');
  expect(b.cookies.has('vista_q')).toBe(false);
  expect(b.local.vista_q).toBe('[{"big":"queue"}]');
});

test('nothing is written while not persisting; starting writes what memory kept', () => {
  set('vista_i', 'mem-only');
  expect(get('vista_i')).toBe('mem-only');
  expect(b.cookies.size + Object.keys(b.local).length).toBe(0);
  setPersist(true);
  expect(b.cookies.get('vista_i')).toBe('mem-only');
});

test('wipe forgets ids, user, session and queue', () => {
  setPersist(true);
  for (const k of ['vista_i', 'vista_u', 'vista_s', 'vista_q']) set(k, 'x');
  set('vista_o', '1');
  wipe();
  expect(b.cookies.has('vista_i')).toBe(false);
  expect(Object.keys(b.local)).toEqual(['vista_o']);
});
