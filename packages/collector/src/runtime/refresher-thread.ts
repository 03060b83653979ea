import { Worker } from 'node:worker_threads';
import type { ProfileRefresher, RefresherOptions } from '../profiles/refresher.ts';

export interface ThreadOptions {
  databaseUrl: string;
  /** Connections of the thread's own pool. */
  pool: number;
  refresher: Pick<RefresherOptions, 'lingerMs' | 'quietMs' | 'rebuildAfterMs' | 'batch' | 'vacuumEvery'>;
}

export type RefresherRequest =
  | { type: 'kick' }
  | { type: 'settle'; id: number }
  | { type: 'settleProfiles'; id: number; workspaceId: string; profileIds: readonly string[] }
  | { type: 'stop'; id: number };

type Pending = { resolve: () => void; reject: (error: Error) => void };

/**
 * The profile refresher in a worker thread with its own PostgreSQL pool, behind the same
 * interface. Its folds, decoding and garbage then stay off the thread that serves ingest, where
 * a group holds its workspace lock across every wait for the event loop (docs/benchmarks.md,
 * sixth session: +8% events/s with profiles, for ~100 MB more RSS). Only for PostgreSQL:
 * PGlite is one database in one thread.
 */
export function startRefresherThread(options: ThreadOptions): ProfileRefresher {
  const worker = new Worker(new URL('./refresher-worker.ts', import.meta.url), { workerData: options });
  const pending = new Map<number, Pending>();
  let next = 0;
  let gone: Error | null = null;
  const fail = (error: Error) => {
    gone ??= error;
    for (const p of pending.values()) p.reject(gone);
    pending.clear();
  };
  worker.on('message', ({ id, failed }: { id: number; failed?: string }) => {
    const p = pending.get(id);
    pending.delete(id);
    if (failed === undefined) p?.resolve();
    else p?.reject(new Error(`profile catch-up failed (SQLSTATE ${failed})`));
  });
  // What the thread threw is not logged: it may quote data.
  worker.on('error', () => {
    console.error('vista: the profile refresher thread failed; profiles are caught up on the next start');
    fail(new Error('the profile refresher thread failed'));
  });
  worker.on('exit', () => fail(new Error('the profile refresher thread has stopped')));
  const ask = (request: { type: 'settle' } | { type: 'settleProfiles'; workspaceId: string; profileIds: readonly string[] } | { type: 'stop' }) =>
    new Promise<void>((resolve, reject) => {
      if (gone) return reject(gone);
      const id = next++;
      pending.set(id, { resolve, reject });
      worker.postMessage({ ...request, id } satisfies RefresherRequest);
    });
  return {
    kick: () => {
      if (!gone) worker.postMessage({ type: 'kick' } satisfies RefresherRequest);
    },
    settle: () => ask({ type: 'settle' }),
    settleProfiles: (workspaceId, profileIds) => ask({ type: 'settleProfiles', workspaceId, profileIds }),
    async stop() {
      await ask({ type: 'stop' }).catch(() => {});
      await worker.terminate();
    },
  };
}
