import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = fileURLToPath(new URL('../../', import.meta.url));

/** The Worker entry wrangler.toml names. */
export const workerEntry = join(root, 'packages/collector/src/runtime/worker.ts');

/**
 * Bundles the Worker the way wrangler does (workerd export conditions, ESM, Node built-ins
 * left to nodejs_compat) so plain Miniflare can run it. Returns the script's path.
 */
export async function bundleWorker(outdir: string): Promise<string> {
  const outfile = join(outdir, 'worker.js');
  await build({
    entryPoints: [workerEntry],
    outfile,
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    conditions: ['workerd', 'worker'],
    external: ['node:*', 'cloudflare:*'],
    logLevel: 'silent',
  });
  return outfile;
}

/** The compatibility settings of wrangler.toml, so the test runs what gets deployed. */
export async function wranglerCompatibility(): Promise<{ date: string; flags: string[] }> {
  const toml = await readFile(join(root, 'wrangler.toml'), 'utf8');
  const date = /^compatibility_date\s*=\s*"([^"]+)"/m.exec(toml)?.[1];
  const flags = /^compatibility_flags\s*=\s*\[([^\]]*)\]/m.exec(toml)?.[1];
  if (!date || flags === undefined) throw new Error('wrangler.toml lacks compatibility_date or compatibility_flags');
  return { date, flags: [...flags.matchAll(/"([^"]+)"/g)].map((m) => m[1]!) };
}
