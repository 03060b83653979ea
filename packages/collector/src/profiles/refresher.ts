import { randomUUID } from 'node:crypto';
import { inTransaction, type Database } from '../db/database.ts';
import { claimDirty, claimDirtyOf, claimMarkersOf, lastBatch, lockProfiles, vacuumQueue } from '../db/profile-dirty.ts';
import { anyPending, anyQueued, leaseGroups, profilesOf, releaseGroups, spanOf, unleaseGroups } from '../db/profile-groups.ts';
import { catchUpProfiles, type CatchUpOutcome } from './catch-up.ts';
import { eachAtMost } from './each-at-most.ts';

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
  /**
   * Background cycles start at most this often under steady ingest: a profile touched by several
   * groups in the meantime is then read, folded and written once (docs/benchmarks.md). Reads never wait for it.
   */
  lingerMs?: number;
  /** A cycle starts sooner once ingest has been quiet this long (no kick); 0: only `lingerMs` counts. */
  quietMs?: number;
  /**
   * A profile marked for a rebuild (a late event, or its members changed) waits this long in
   * background passes, so that one rebuild from all its events covers every late event of that
   * time instead of one each. Reads never wait: they catch up what they read first.
   */
  rebuildAfterMs?: number;
  /** Profiles one transaction of a cycle catches up; bounds its memory, its locks and how long its fold holds the event loop. */
  batch?: number;
  /** How long a cycle's lease on its groups holds: a process that died mid-cycle leaves them to another after this. */
  leaseMs?: number;
  /**
   * After this many queue rows taken (groups and markers), the queue tables are vacuumed: every cycle deletes rows, and
   * dead ones slow the next cycles where autovacuum is off (PGlite has none; some servers turn it off).
   */
  vacuumEvery?: number;
  /** After each catch-up transaction: what became of its profiles (tests, diagnostics). */
  onCatchUp?: (outcome: CatchUpOutcome) => void;
  log?: (line: string) => void;
}

/**
 * Catches up queued profiles off the request path, in cycles, so ingest only queues. A cycle
 * leases the groups queued when it began, finds the profiles that own their events, and catches
 * them up `batch` at a time, each transaction holding its profiles' locks; then it releases the
 * groups and takes the markers no group covered. Any process may run cycles: leases keep their
 * groups apart, and a profile caught up twice over is caught by its count (profiles/catch-up.ts).
 */
export function createRefresher(database: Database, options: RefresherOptions = {}): ProfileRefresher {
  const { lingerMs = 0, quietMs = 0, rebuildAfterMs = 0, batch = 1000, leaseMs = 120_000, vacuumEvery = 2_000, onCatchUp, log = (line: string) => console.error(line) } = options;
  const token = randomUUID();
  let taken = 0;
  let running: Promise<void> | null = null;
  /** The cycles of this process, one after another (a settle's and a background one never overlap: they would fold the same profiles twice). */
  let cycles: Promise<void> = Promise.resolve();
  let cycling: Promise<void> | null = null;
  /** Settles waiting: while there are any, every cycle hurries. */
  let settling = 0;
  let again = false;
  let stopped = false;
  let lastCycle = Number.NEGATIVE_INFINITY;
  let lastKick = Number.NEGATIVE_INFINITY;
  let hurry: (() => void) | null = null;
  // Not `onCatchUp?.(await ...)`: an absent callback would skip evaluating the catch-up itself.
  const report = (outcome: CatchUpOutcome) => onCatchUp?.(outcome);

  /**
   * How a cycle runs: a background cycle lets rebuilds wait, defers the late events it finds and
   * takes one transaction at a time, leaving the machine to ingest. It hurries (two at a time, no
   * waiting) while a settle waits for it: what it would leave is then done at once anyway.
   * Looked at before each transaction, so a settle arriving mid-cycle hurries the rest.
   */
  const urgent = (background: boolean) => !background || settling > 0;
  // Ingest quiet: nobody to leave the machine to, so two at a time, still letting rebuilds wait.
  const quiet = () => quietMs > 0 && performance.now() - lastKick >= quietMs;
  const lanes = (background: boolean) => (urgent(background) || quiet() ? Math.min(2, database.writeConcurrency) : 1);

  /** A settle's cycle (not background) takes every group, leased or not. */
  async function cycle(background: boolean, upTo: number): Promise<void> {
    const groups = await leaseGroups(database.db, upTo, token, leaseMs, !background);
    for (const [workspaceId, list] of Map.groupBy(groups, (g) => g.workspaceId)) {
      if (stopped && background) return unleaseGroups(database.db, token);
      const span = spanOf(list);
      const since = profilesOf(list);
      const ids = [...since.keys()].sort();
      const chunks = Array.from({ length: Math.ceil(ids.length / batch) }, (_, i) => ids.slice(i * batch, (i + 1) * batch));
      await eachAtMost(() => lanes(background), chunks, (chunk) => inTransaction(database, async (tx) => {
        const now = urgent(background);
        await lockProfiles(tx, workspaceId, chunk);
        const { claimed, waiting } = await claimMarkersOf(tx, workspaceId, chunk, upTo, now ? 0 : rebuildAfterMs);
        taken += claimed.length;
        const open = chunk.filter((id) => !waiting.has(id));
        report(await catchUpProfiles(tx, workspaceId, open, claimed, { kind: 'span', since, span }, { deferRebuilds: !now }));
      }));
    }
    await releaseGroups(database.db, groups);
    taken += groups.length;
    await markerPasses(!urgent(background), upTo);
  }

  /** Markers no group covered: recounts, profiles touched without an event, rebuilds (in the background only once they waited). */
  async function markerPasses(background: boolean, upTo: number): Promise<void> {
    for (;;) {
      const claimed = await inTransaction(database, async (tx) => {
        const marks = await claimDirty(tx, batch, background, background ? { upTo, rebuildAfterMs } : { upTo });
        for (const [workspaceId, list] of Map.groupBy(marks, (d) => d.workspaceId)) report(await catchUpProfiles(tx, workspaceId, [], list, { kind: 'none' }, { deferRebuilds: false }));
        return marks.length;
      });
      taken += claimed;
      await vacuumWhenDue();
      if (claimed < batch || (stopped && background)) return;
    }
  }

  /** Outside any transaction (VACUUM cannot run in one); a failure only costs speed, so it is logged, not thrown. */
  async function vacuumWhenDue(): Promise<void> {
    if (taken < vacuumEvery) return;
    taken = 0;
    await vacuumQueue(database.db).catch((error: unknown) => {
      const code = (error as { code?: unknown }).code;
      log(`vista: could not vacuum the profile queue${typeof code === 'string' ? ` (SQLSTATE ${code})` : ''}; cycles may slow down`);
    });
  }

  /** Queues a cycle behind this process's others; it takes what was queued when it begins. */
  function run(background: boolean): Promise<void> {
    const turn = cycles.then(async () => {
      const current = (async () => cycle(background, await lastBatch(database.db)))();
      cycling = current;
      try {
        await current;
      } finally {
        cycling = null;
      }
    });
    cycles = turn.catch(() => {});
    return turn;
  }

  /**
   * Until `lastCycle + lingerMs`, or until ingest has been quiet for `quietMs` (no kick), or
   * sooner when a stop hurries it (reads catch up on their own).
   */
  function linger(): Promise<void> {
    return new Promise((resolve) => {
      let timer: ReturnType<typeof setTimeout> | undefined;
      const done = () => {
        clearTimeout(timer);
        hurry = null;
        resolve();
      };
      hurry = done;
      const check = () => {
        const at = Math.min(lastCycle + lingerMs, quietMs > 0 ? lastKick + quietMs : Number.POSITIVE_INFINITY);
        const wait = at - performance.now();
        if (wait <= 0 || stopped) done();
        // A kick meanwhile moves the quiet moment on: looked at again then.
        else timer = setTimeout(check, wait);
      };
      check();
    });
  }

  async function drain(): Promise<void> {
    do {
      again = false;
      await linger();
      if (stopped) return;
      lastCycle = performance.now();
      // What was queued when the cycle began: groups queued meanwhile wait for the next cycle and
      // gather more events, else under steady load every cycle would fold profiles just touched.
      await run(true);
    } while (again && !stopped);
  }

  function start(): void {
    if (stopped) return;
    if (running) {
      again = true;
      return;
    }
    running = drain()
      .catch((error: unknown) => {
        const code = (error as { code?: unknown; cause?: { code?: unknown } }).cause?.code ?? (error as { code?: unknown }).code;
        // The database was closed under a cycle (shutdown): the queue stays for the next start.
        if (code === 'CONNECTION_ENDED' || /closed/i.test(error instanceof Error ? error.message : '')) return;
        // The queue stays (the lease lapses), so the next run retries; log no data, only what failed.
        log(`vista: profile catch-up failed${typeof code === 'string' ? ` (SQLSTATE ${code})` : ''}; will retry`);
      })
      .finally(() => {
        running = null;
        // A kick that came after the last cycle's check but before this line would be lost.
        if (again && !stopped) start();
      });
  }

  return {
    kick() {
      lastKick = performance.now();
      if (!running) setTimeout(start, 5);
      else again = true;
    },
    async stop() {
      stopped = true;
      hurry?.();
      while (running) await running;
    },
    async settle() {
      // Not the whole background run (under steady ingest it never ends): the cycle in flight, hurried, then our own.
      settling++;
      try {
        await cycling?.catch(() => {});
        if (await anyQueued(database.db)) await run(false);
      } finally {
        settling--;
      }
    },
    async settleProfiles(workspaceId, profileIds) {
      if (profileIds.length === 0 || !(await anyPending(database.db, workspaceId, profileIds))) return;
      await inTransaction(database, async (tx) => {
        const claimed = await claimDirtyOf(tx, workspaceId, profileIds);
        report(await catchUpProfiles(tx, workspaceId, profileIds, claimed, { kind: 'after-fold' }, { deferRebuilds: false }));
      });
    },
  };
}
