// Protects the RFM cache: cut points are read once per workspace per TTL, never shared across workspaces, and a failed read is not kept.
import { describe, expect, it, vi } from 'vitest';
import type { Db } from '../db/database.ts';
import type { RfmBoundaries } from '../profiles/rfm.ts';
import { rfmCache } from './rfm-cache.ts';

const db = {} as Db;
const cuts = (total: number): RfmBoundaries => ({ total, recency: [1, 2, 3, 4], frequency: [1, 1, 2, 3], monetary: [5, 10, 20, 40] });

describe('rfmCache', () => {
  it('reads once per workspace within the TTL, again after it', async () => {
    vi.useFakeTimers();
    try {
      const load = vi.fn(async (_db: Db, ws: string) => cuts(ws.length));
      const cache = rfmCache({ ttlMs: 1000, load });
      expect(await cache.boundaries(db, 'ws_a')).toEqual(cuts(4));
      await cache.boundaries(db, 'ws_a');
      expect(await cache.boundaries(db, 'ws_bb')).toEqual(cuts(5));
      expect(load).toHaveBeenCalledTimes(2);
      vi.advanceTimersByTime(1001);
      await cache.boundaries(db, 'ws_a');
      expect(load).toHaveBeenCalledTimes(3);
    } finally {
      vi.useRealTimers();
    }
  });

  it('does not keep a failed read, and with a TTL of 0 reads every time', async () => {
    let fail = true;
    const load = vi.fn(async () => {
      if (fail) throw new Error('database gone');
      return cuts(1);
    });
    const cache = rfmCache({ ttlMs: 60_000, load });
    await expect(cache.boundaries(db, 'ws')).rejects.toThrow('database gone');
    fail = false;
    expect(await cache.boundaries(db, 'ws')).toEqual(cuts(1));
    const uncached = rfmCache({ ttlMs: 0, load });
    await uncached.boundaries(db, 'ws');
    await uncached.boundaries(db, 'ws');
    expect(load).toHaveBeenCalledTimes(4);
  });
});
