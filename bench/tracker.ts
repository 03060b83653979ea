import fs from 'node:fs';
import { fileURLToPath } from 'node:url';

/**
 * The tracker size figures from bench/tracker-size.ts, which another part of the project
 * owns and which may not exist yet. Imported by a computed specifier so the typecheck does
 * not require the file; null when it is absent, `{ error }` when it is there but fails.
 */
export async function loadTrackerSize(): Promise<unknown> {
  const url = new URL('./tracker-size.ts', import.meta.url);
  if (!fs.existsSync(fileURLToPath(url))) return null;
  try {
    const mod: unknown = await import(url.href);
    const measure = (mod as { measureTrackerSize?: unknown }).measureTrackerSize;
    if (typeof measure !== 'function') return { error: 'bench/tracker-size.ts exports no measureTrackerSize()' };
    const result: unknown = await (measure as () => unknown)();
    return result ?? null;
  } catch (error) {
    return { error: error instanceof Error ? error.message : String(error) };
  }
}
