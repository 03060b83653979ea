/**
 * Lets other callbacks run between slices of a catch-up's synchronous work. An ingest group
 * holds its workspace lock across its awaits, so each millisecond a catch-up keeps the event
 * loop is a millisecond every group of that workspace waits (docs/benchmarks.md, sixth session).
 */
const later: (resume: () => void) => void = globalThis.setImmediate ?? ((resume) => setTimeout(resume, 0));

export function yieldToOthers(): Promise<void> {
  return new Promise((resolve) => later(resolve));
}

/** Profiles folded between two yields (with their events parsed): each slice takes about a millisecond. */
export const SLICE = { profiles: 25 } as const;
