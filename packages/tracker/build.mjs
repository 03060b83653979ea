// Builds the tracker with esbuild:
//   dist/v.js        minified IIFE for the script tag (the size budget applies to it)
//   dist/v.debug.js  the same, readable, with __DEBUG__ logging
//   dist/index.js    ES module for bundlers (createVista, snippet), with .d.ts types
//   dist/snippet.html the paste-in snippet
// Files are written to a temporary name and renamed, so a test reading them never sees half a file.
import { build } from 'esbuild';
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const here = fileURLToPath(new URL('.', import.meta.url));
const dist = here + 'dist/';

function put(name, text) {
  const tmp = `${dist}.${name}.${process.pid}.tmp`;
  writeFileSync(tmp, text);
  renameSync(tmp, dist + name);
}

async function bundle(name, options) {
  const r = await build({
    bundle: true,
    target: 'es2021',
    legalComments: 'none',
    write: false,
    logLevel: 'warning',
    define: { __DEBUG__: 'false' },
    tsconfigRaw: {}, // the script needs no "use strict" prologue
    ...options,
  });
  put(name, r.outputFiles[0].text);
}

/**
 * Declaration files for dist/index.js, emitted by the TypeScript compiler. Those of sources that no
 * longer exist are removed (only those: tests may run two builds at once).
 */
function types() {
  for (const f of readdirSync(dist, { recursive: true, encoding: 'utf8' }))
    if (f.endsWith('.d.ts') && !existsSync(here + 'src/' + f.replace(/\.d\.ts$/, '.ts'))) rmSync(dist + f, { force: true });
  const parsed = ts.getParsedCommandLineOfConfigFile(here + 'tsconfig.json', {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => {} });
  const program = ts.createProgram([here + 'src/index.ts'], {
    ...parsed.options,
    noEmit: false,
    declaration: true,
    emitDeclarationOnly: true,
    rootDir: here + 'src',
    outDir: dist,
  });
  const r = program.emit();
  const errors = ts.getPreEmitDiagnostics(program).concat(r.diagnostics);
  if (errors.length) throw new Error(ts.formatDiagnostics(errors, { getCanonicalFileName: (f) => f, getCurrentDirectory: () => here, getNewLine: () => '\n' }));
}

export async function buildTracker() {
  mkdirSync(dist, { recursive: true });
  const iife = { entryPoints: [here + 'src/iife.ts'], format: 'iife' };
  await bundle('v.js', { ...iife, minify: true });
  await bundle('v.debug.js', { ...iife, define: { __DEBUG__: 'true' } });
  await bundle('index.js', { entryPoints: [here + 'src/index.ts'], format: 'esm' });
  const { snippet } = await import(dist + 'index.js?' + Date.now());
  put(
    'snippet.html',
    '<!-- Vista: paste into <head> on every page. Replace the host with your collector and the key with the source\'s write key. -->\n' +
      snippet('https://collector.example.com/v.js', { writeKey: 'YOUR_WRITE_KEY' }),
  );
  types();
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await buildTracker();
