// Invariant: a session lasts while events come less than 30 minutes apart, and its id is stable within it.
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
