/**
 * Runs `work` over the items, at most `limit()` at once, asked again after each item: a cycle
 * widens when someone starts waiting for it, and narrows when ingest starts again. The first
 * failure fails the whole (the others finish first).
 */
export async function eachAtMost<T>(limit: () => number, items: readonly T[], work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  let active = 0;
  const lanes: Promise<void>[] = [];
  const failures: unknown[] = [];
  const allowed = () => Math.max(1, limit());
  const widen = () => {
    while (next < items.length && active < allowed()) {
      active++;
      lanes.push(lane().catch((reason: unknown) => void failures.push(reason)));
    }
  };
  async function lane(): Promise<void> {
    try {
      while (next < items.length) {
        await work(items[next++]!);
        // Another lane goes on: at least one is active while this one is over the limit.
        if (active > allowed()) return;
        widen();
      }
    } finally {
      active--;
    }
  }
  widen();
  // Only a running lane adds lanes, so once the last one listed has ended, no more come.
  for (let i = 0; i < lanes.length; i++) await lanes[i];
  if (failures.length > 0) throw failures[0];
}
