import type { Db } from '../db/database.ts';
import { rfmBoundaries } from '../db/rfm.ts';
import type { RfmBoundaries } from '../profiles/rfm.ts';

export interface RfmCache {
  boundaries(db: Db, workspaceId: string): Promise<RfmBoundaries>;
}

/**
 * The customer distribution moves slowly, and scanning every customer on each profile read was
 * most of a read's time; the cut points are kept per workspace for `ttlMs` (0: every read).
 */
export function rfmCache({ ttlMs = 60_000, load = rfmBoundaries }: { ttlMs?: number; load?: typeof rfmBoundaries } = {}): RfmCache {
  const entries = new Map<string, { at: number; value: Promise<RfmBoundaries> }>();
  return {
    boundaries(db, workspaceId) {
      const now = Date.now();
      const hit = entries.get(workspaceId);
      if (hit && now - hit.at < ttlMs) return hit.value;
      const value = load(db, workspaceId);
      if (ttlMs > 0) {
        entries.set(workspaceId, { at: now, value });
        // A failed read must not be served from the cache.
        value.catch(() => entries.delete(workspaceId));
      }
      return value;
    },
  };
}
