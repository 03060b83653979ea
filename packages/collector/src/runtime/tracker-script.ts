import fs from 'node:fs';
import { fileURLToPath } from 'node:url';

const built = fileURLToPath(new URL('../../../tracker/dist/v.js', import.meta.url));

/** The tracker as `npm run build` left it; null when it was not built. */
export function readTrackerScript(): string | null {
  try {
    return fs.readFileSync(built, 'utf8');
  } catch {
    return null;
  }
}
