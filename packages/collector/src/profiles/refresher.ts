import { inTransaction, type Database } from '../db/database.ts';
import { anyDirty, claimDirty, claimDirtyOf, lastBatch, vacuumQueue, type DirtyProfile } from '../db/profile-dirty.ts';
import { catchUpProfiles } from './catch-up.ts';
import type { PendingTail } from './tail.ts';

export interface ProfileRefresher {
  /** Something was queued: catch up soon, together with whatever else arrives meanwhile. */
  kick(): void;
  /** Resolves once the profiles queued at call time are caught up (read-your-writes for the API). */
  settle(): Promise<void>;
  /** The same for a few profiles only: what a read of one profile waits for. */
  settleProfiles(workspaceId: string, profileIds: readonly string[]): Promise<void>;
  /** No more background runs (shutdown); waits for the one in progress. */
  stop(): Promise<void>;
}

export interface RefresherOptions {
  /** The events this process queued, so that catching up need not read them back. */
  tail?: PendingTail;
  /**
   * Background passes start at most this often: a profile touched by several groups in the
   * meantime is then read, folded and written once (docs/benchmarks.md). Reads never wait for it.
   */
  lingerMs?: number;
  /**
   * A profile marked for a rebuild (a late event, or its members changed) waits this long in
   * background passes, so that one rebuild from all its events covers every late event of that
   * time instead of one each. Reads never wait: they catch up what they read first.
   */
  rebuildAfterMs?: number;
  /** Profiles a pass claims; bounds the memory of a pass and how long its fold holds the event loop. */
  batch?: number;
  /**
   * After this many queue rows claimed, the queue table is vacuumed: every claim deletes rows, and
   * dead ones slow the next claims where autovacuum is off (PGlite has none; some servers turn it off).
   */
  vacuumEvery?: number;
  log?: (line: string) => void;
}

/**
 * Catches up queued profiles off the request path, a batch at a time, so ingest only marks.
 * Any process may catch up any queued profile: background claims skip rows another process
 * holds; a read that settles waits for them instead, so it sees their result.
 */
export function createRefresher(database: Database, options: RefresherOptions = {}): ProfileRefresher {
  const { tail, lingerMs = 0, rebuildAfterMs = 0, batch = 1000, vacuumEvery = 20_000, log = (line: string) => console.error(line) } = options;
  let claimedRows = 0;
  let running: Promise<void> | null = null;
  let passing: Promise<unknown> | null = null;
  let again = false;
  let stopped = false;
  let lastPass = Number.NEGATIVE_INFINITY;
  let hurry: (() => void) | null = null;

  async function pass(skipLocked: boolean, upTo?: number): Promise<number> {
    // BEGIN goes out with the claim where the driver can (db/postgres.ts).
    return inTransaction(database, async (tx) => {
      // Reads and settles (skipLocked off) take every profile at once; only background passes let rebuilds wait.
      const claimed = await claimDirty(tx, batch, skipLocked, skipLocked ? { upTo, rebuildAfterMs } : {});
      const byWorkspace = new Map<string, DirtyProfile[]>();
      for (const d of claimed) {
        const marks = byWorkspace.get(d.workspaceId);
        if (marks) marks.push(d);
        else byWorkspace.set(d.workspaceId, [d]);
      }
      for (const [workspaceId, marks] of byWorkspace) await catchUpProfiles(tx, workspaceId, marks, tail);
      claimedRows += claimed.reduce((n, c) => n + c.batches.length, 0);
      return claimed.length;
    });
  }

  /** Outside any transaction (VACUUM cannot run in one); a failure only costs speed, so it is logged, not thrown. */
  async function vacuumWhenDue(): Promise<void> {
    if (claimedRows < vacuumEvery) return;
    claimedRows = 0;
    await vacuumQueue(database.db).catch((error: unknown) => {
      const code = (error as { code?: unknown }).code;
      log(`vista: could not vacuum profile_dirty${typeof code === 'string' ? ` (SQLSTATE ${code})` : ''}; claims may slow down`);
    });
  }

  async function passes(skipLocked: boolean, upTo?: number): Promise<void> {
    for (;;) {
      const current = pass(skipLocked, upTo);
      passing = current;
      const claimed = await current.finally(() => {
        if (passing === current) passing = null;
      });
      await vacuumWhenDue();
      if (claimed < batch || stopped) return;
    }
  }

  /** Until `lastPass + lingerMs`, or sooner when a stop hurries it (reads run passes of their own). */
  function linger(): Promise<void> {
    const wait = lastPass + lingerMs - performance.now();
    if (wait <= 0 || stopped) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        hurry = null;
        resolve();
      };
      const timer = setTimeout(done, wait);
      hurry = done;
    });
  }

  async function drain(): Promise<void> {
    do {
      again = false;
      await linger();
      if (stopped) return;
      lastPass = performance.now();
      // What was queued when the cycle began: rows queued meanwhile wait for the next cycle and
      // gather more events, else under steady load every pass would claim profiles just marked.
      await passes(true, await lastBatch(database.db));
    } while (again && !stopped);
  }

  function run(): void {
    if (stopped) return;
    if (running) {
      again = true;
      return;
    }
    running = drain()
      .catch((error: unknown) => {
        const code = (error as { code?: unknown; cause?: { code?: unknown } }).cause?.code ?? (error as { code?: unknown }).code;
        // The database was closed under a pending catch-up (shutdown): the markers stay for the next start.
        if (code === 'CONNECTION_ENDED' || /closed/i.test(error instanceof Error ? error.message : '')) return;
        // The markers stay, so the next run retries; log no data, only what failed.
        log(`vista: profile catch-up failed${typeof code === 'string' ? ` (SQLSTATE ${code})` : ''}; will retry`);
      })
      .finally(() => {
        running = null;
        // A kick that came after the last cycle's check but before this line would be lost.
        if (again && !stopped) run();
      });
  }

  return {
    kick() {
      if (!running) setTimeout(run, 5);
      else again = true;
    },
    async stop() {
      stopped = true;
      hurry?.();
      while (running) await running;
    },
    async settle() {
      // Not the whole background run (under steady ingest it never ends): the pass in flight, then our own.
      await passing?.catch(() => {});
      if (!(await anyDirty(database.db))) return;
      await passes(false);
    },
    async settleProfiles(workspaceId, profileIds) {
      if (profileIds.length === 0 || !(await anyDirty(database.db, { workspaceId, profileIds }))) return;
      await inTransaction(database, async (tx) => {
        const claimed = await claimDirtyOf(tx, workspaceId, profileIds);
        if (claimed.length > 0) await catchUpProfiles(tx, workspaceId, claimed, tail);
      });
    },
  };
}
