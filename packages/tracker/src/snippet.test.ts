// Invariant: the paste-in snippet is a few hundred bytes, defines a queue stub that never throws, and carries options as data-* attributes.
import { expect, test } from 'vitest';
import { attributeName, snippet, STUB } from './snippet';

test('the snippet is small and loads the script asynchronously', () => {
  const s = snippet('https://c.example/v.js', { writeKey: 'wk' });
  expect(Buffer.byteLength(s)).toBeLessThan(300);
  expect(s).toContain('<script async src="https://c.example/v.js" data-key="wk"></script>');
});

test('the stub queues calls, in order, and never throws', () => {
  const w: { vista?: { (...a: unknown[]): void; q?: unknown[][] } } = {};
  new Function('window', 'vista', STUB.replace(/vista\.q/g, 'window.vista.q'))(w, undefined);
  w.vista!('track', 'A');
  w.vista!();
  w.vista!('page');
  expect(w.vista!.q!.map((a) => Array.from(a as ArrayLike<unknown>))).toEqual([['track', 'A'], [], ['page']]);
});

test('options become data-* attributes the script reads back', () => {
  expect(['writeKey', 'apiHost', 'ingestPath', 'flushAt', 'allowAutomation'].map(attributeName)).toEqual([
    'data-key',
    'data-api',
    'data-ingest-path',
    'data-flush-at',
    'data-allow-automation',
  ]);
  expect(snippet('/v.js', { domains: ['a.example', 'b.example'], requireConsent: true })).toContain(
    'data-domains="a.example,b.example" data-require-consent="true"',
  );
  expect(snippet('/v.js', { writeKey: '"><script>' })).not.toContain('"><script>');
});
