// Invariant: the ES module build (dist/index.js, for bundlers) exports createVista and snippet, and importing or calling it outside a browser (server rendering) throws nothing.
import { pathToFileURL } from 'node:url';
import { beforeAll, expect, test } from 'vitest';
import { ensureBuilt, trackerDir } from './ensure-built';

beforeAll(() => ensureBuilt());

test('dist/index.js exports createVista and snippet, and is harmless on a server', async () => {
  const mod = (await import(pathToFileURL(trackerDir + 'dist/index.js').href)) as typeof import('./index');
  expect(typeof mod.createVista).toBe('function');
  expect(mod.snippet('/v.js', { writeKey: 'k' })).toContain('data-key="k"');
  const vista = mod.createVista({ writeKey: 'k' });
  expect(() => {
    vista('track', 'Server Side');
    vista('page');
  }).not.toThrow();
});
