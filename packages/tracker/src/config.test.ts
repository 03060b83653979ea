// Invariant: data-* attributes of the script tag configure the tracker like init options (data-key, data-api, kebab-case names, bare booleans).
import { expect, test } from 'vitest';
import { fromAttributes } from './config';

test('data-key and data-api are writeKey and apiHost', () => {
  expect(fromAttributes({ key: 'wk_1', api: 'https://c.example' })).toEqual({ writeKey: 'wk_1', apiHost: 'https://c.example' });
});

test('a bare attribute is true, "false" is false, other values stay as written', () => {
  // dataset turns data-allow-automation into allowAutomation, data-flush-at into flushAt.
  expect(
    fromAttributes({ allowAutomation: '', cookieless: 'true', privacySignals: 'false', flushAt: '5', ingestPath: '/e', domains: 'a.example,b.example' }),
  ).toEqual({ allowAutomation: true, cookieless: 'true', privacySignals: false, flushAt: '5', ingestPath: '/e', domains: 'a.example,b.example' });
});

test('numbers given as strings work where they are used', () => {
  const { flushAt, flushInterval } = fromAttributes({ flushAt: '5', flushInterval: '250' });
  expect(3 >= (flushAt as unknown as number)).toBe(false);
  expect(6 >= (flushAt as unknown as number)).toBe(true);
  expect(+(flushInterval as unknown as string)).toBe(250);
});
