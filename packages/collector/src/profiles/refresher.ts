import type { Database } from '../db/database.ts';
import { anyDirty, claimDirty } from '../db/profile-dirty.ts';
import { refreshProfiles } from './refresh.ts';

export interface ProfileRefresher {
  /** Something was marked dirty: rebuild soon, together with whatever else arrives meanwhile. */
  kick(): void;
  /** Resolves once the profiles dirty at call time are rebuilt (read-your-writes for the API). */
  settle(): Promise<void>;
  /** No more background runs (shutdown); waits for the one in progress. */
  stop(): Promise<void>;
}

const BATCH = 500;

/**
 * Rebuilds dirty profiles off the request path, a batch at a time, so a profile touched by many
 * groups in a burst is rebuilt once, and ingest only marks. Any process may rebuild any dirty
 * profile: claims skip rows another process holds.
 */
export function createRefresher(database: Database, log: (line: string) => void = (l) => console.error(l)): ProfileRefresher {
  let running: Promise<void> | null = null;
  let again = false;
  let stopped = false;

  async function pass(skipLocked: boolean): Promise<number> {
    return database.db.transaction(async (tx) => {
      const claimed = await claimDirty(tx, BATCH, skipLocked);
      const byWorkspace = new Map<string, string[]>();
      for (const d of claimed) byWorkspace.set(d.workspaceId, [...(byWorkspace.get(d.workspaceId) ?? []), d.profileId]);
      for (const [workspaceId, ids] of byWorkspace) await refreshProfiles(tx, workspaceId, ids);
      return claimed.length;
    });
  }

  async function drain(skipLocked: boolean): Promise<void> {
    do {
      again = false;
      while ((await pass(skipLocked)) === BATCH);
    } while (again);
  }

  function run(skipLocked: boolean): Promise<void> {
    if (stopped) return Promise.resolve();
    if (running) {
      again = true;
      return running;
    }
    running = drain(skipLocked)
      .catch((error: unknown) => {
        const code = (error as { code?: unknown; cause?: { code?: unknown } }).cause?.code ?? (error as { code?: unknown }).code;
        // The database was closed under a pending rebuild (shutdown): the markers stay for the next start.
        if (code === 'CONNECTION_ENDED' || /closed/i.test(error instanceof Error ? error.message : '')) return;
        // The markers stay, so the next run retries; log no data, only what failed.
        log(`vista: profile rebuild failed${typeof code === 'string' ? ` (SQLSTATE ${code})` : ''}; will retry`);
      })
      .finally(() => {
        running = null;
      });
    return running;
  }

  return {
    kick() {
      if (!running) setTimeout(() => void run(true), 5);
      else again = true;
    },
    async stop() {
      stopped = true;
      while (running) await running;
    },
    async settle() {
      while (running) await running;
      if (!(await anyDirty(database.db))) return;
      // Waits for rows another process is rebuilding (no skip), so their rebuild is visible after.
      await drain(false);
    },
  };
}
