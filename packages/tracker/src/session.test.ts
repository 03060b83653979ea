// Invariant: a session lasts while events come less than 30 minutes apart, and its id is stable within it; it keeps the landing page and referrer it started with.
import { expect, test } from 'vitest';
import { nextSession, TIMEOUT } from './session';

test('the first event starts a session identified by its time', () => {
  expect(nextSession(undefined, 1000)).toEqual({ i: 1000, t: 1000 });
});

test('an event within 30 minutes of the last one continues the session', () => {
  expect(nextSession({ i: 1000, t: 5000 }, 5000 + TIMEOUT)).toEqual({ i: 1000, t: 5000 + TIMEOUT });
});

test('after 30 minutes without events a new session starts', () => {
  expect(nextSession({ i: 1000, t: 5000 }, 5001 + TIMEOUT)).toEqual({ i: 5001 + TIMEOUT, t: 5001 + TIMEOUT });
  expect(TIMEOUT).toBe(30 * 60 * 1000);
});

const landing = 'https://shop.example/spring?utm_source=newsletter';
const google = 'https://www.google.com/';

test('a new session remembers its landing page and referrer', () => {
  expect(nextSession(undefined, 1000, landing, google)).toEqual({ i: 1000, t: 1000, l: landing, r: google });
});

test('later events of the session keep the landing page and referrer, wherever they happen', () => {
  const s = nextSession(undefined, 1000, landing, google);
  expect(nextSession(s, 2000, 'https://shop.example/checkout', '')).toEqual({ i: 1000, t: 2000, l: landing, r: google });
});

test('a session after a timeout lands afresh', () => {
  const s = nextSession(undefined, 1000, landing, google);
  expect(nextSession(s, 1001 + TIMEOUT, 'https://shop.example/cart', '')).toEqual({
    i: 1001 + TIMEOUT,
    t: 1001 + TIMEOUT,
    l: 'https://shop.example/cart',
    r: '',
  });
});

test('a session stored without a landing page (older script) adopts the page in view', () => {
  expect(nextSession({ i: 1000, t: 5000 }, 6000, landing, '')).toEqual({ i: 1000, t: 6000, l: landing, r: '' });
});
