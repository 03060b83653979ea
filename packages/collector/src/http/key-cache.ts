import type { Db } from '../db/database.ts';
import { findKeyOwner, type KeyOwner } from '../db/tenancy.ts';
import { hashKey } from '../tenancy/keys.ts';

export interface KeyCache {
  lookup(db: Db, key: string): Promise<KeyOwner | null>;
  /** Forget everything, e.g. after a key rotation in this process. */
  clear(): void;
}

interface Entry {
  owner: KeyOwner | null;
  expires: number;
}

/**
 * Every ingest request names its key; without a cache each would cost a query. Rotated keys
 * stop working in other processes within `ttlMs`; unknown keys are remembered briefly so a
 * misconfigured client cannot turn each request into a query.
 */
export function keyCache({ ttlMs = 30_000, unknownTtlMs = 5_000, max = 10_000 } = {}): KeyCache {
  const entries = new Map<string, Entry>();
  return {
    async lookup(db, key) {
      const now = Date.now();
      const hit = entries.get(key);
      if (hit && hit.expires > now) return hit.owner;
      const owner = await findKeyOwner(db, await hashKey(key));
      if (entries.size >= max) entries.delete(entries.keys().next().value!);
      entries.set(key, { owner, expires: now + (owner ? ttlMs : unknownTtlMs) });
      return owner;
    },
    clear: () => entries.clear(),
  };
}
