// Invariant: the built script (dist/v.js, every feature) stays within 3,072 bytes gzip (zlib level 9), and the build makes all its files.
import { existsSync, readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { beforeAll, expect, test } from 'vitest';
import { ensureBuilt, scriptPath, trackerDir } from './ensure-built';

export const BUDGET = 3072;

beforeAll(() => ensureBuilt());

test(`dist/v.js is at most ${BUDGET} bytes gzip`, () => {
  const gzip = gzipSync(readFileSync(scriptPath), { level: 9 }).length;
  expect(gzip).toBeLessThanOrEqual(BUDGET);
});

test('the build makes the script, the ES module with types, and the snippet', () => {
  for (const f of ['v.js', 'index.js', 'index.d.ts', 'snippet.html']) expect(existsSync(trackerDir + 'dist/' + f)).toBe(true);
  expect(readFileSync(trackerDir + 'dist/snippet.html', 'utf8')).toContain('window.vista=window.vista||function(){(vista.q=vista.q||[]).push(arguments)}');
});
