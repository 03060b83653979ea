// Tests run against the built script: this rebuilds dist/ when a source file is newer than
// dist/v.js (or it is missing), so a test never measures or loads a stale build.
import { execFileSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const trackerDir = fileURLToPath(new URL('..', import.meta.url));
export const scriptPath = trackerDir + 'dist/v.js';

const mtime = (path: string): number => {
  try {
    return statSync(path).mtimeMs;
  } catch {
    return 0;
  }
};

/** Newest modification time of the tracker's sources and build script. */
function newestSource(): number {
  const files = readdirSync(trackerDir + 'src', { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'))
    .map((f) => trackerDir + 'src/' + f);
  return Math.max(mtime(trackerDir + 'build.mjs'), ...files.map(mtime));
}

export function ensureBuilt(): void {
  if (mtime(scriptPath) < newestSource()) execFileSync(process.execPath, ['build.mjs'], { cwd: trackerDir, stdio: 'inherit' });
}
