// Protects eachAtMost: every item is worked exactly once, never more at once than the limit asked after each item, widening and narrowing mid-way, and a failure fails the whole only after the others finish.
import { describe, expect, it } from 'vitest';
import { eachAtMost } from './each-at-most.ts';

const tick = () => new Promise((resolve) => setTimeout(resolve, 2));

/** Works the items, recording how many ran at once when each started. */
async function run(count: number, limit: (done: number) => number, fail?: number) {
  const seen: number[] = [];
  const atOnce: number[] = [];
  let running = 0;
  let done = 0;
  const outcome = eachAtMost(() => limit(done), Array.from({ length: count }, (_, i) => i), async (item) => {
    running++;
    atOnce.push(running);
    await tick();
    running--;
    done++;
    if (item === fail) throw new Error(`item ${item}`);
    seen.push(item);
  });
  return { outcome, seen, atOnce };
}

describe('eachAtMost', () => {
  it('works each item once, at most the limit at once', async () => {
    const { outcome, seen, atOnce } = await run(9, () => 3);
    await outcome;
    expect(seen.sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8]);
    expect(Math.max(...atOnce)).toBe(3);
  });

  it('widens once the limit grows, and narrows again when it shrinks', async () => {
    // One at a time for the first three, then two, then one again after seven.
    const { outcome, seen, atOnce } = await run(12, (done) => (done < 3 || done >= 7 ? 1 : 2));
    await outcome;
    expect(seen).toHaveLength(12);
    expect(atOnce.slice(0, 3)).toEqual([1, 1, 1]);
    expect(Math.max(...atOnce.slice(3, 8))).toBe(2);
    expect(atOnce.slice(-3)).toEqual([1, 1, 1]);
  });

  it('treats a limit below one as one', async () => {
    const { outcome, seen, atOnce } = await run(3, () => 0);
    await outcome;
    expect(seen).toHaveLength(3);
    expect(Math.max(...atOnce)).toBe(1);
  });

  it('fails with the first failure once the other lanes are through', async () => {
    const { outcome, seen } = await run(6, () => 2, 1);
    await expect(outcome).rejects.toThrow('item 1');
    // The failed lane stops; the other works the rest.
    expect(seen.sort((a, b) => a - b)).toEqual([0, 2, 3, 4, 5]);
  });
});
