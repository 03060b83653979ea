import { parentPort, workerData } from 'node:worker_threads';
import { withNoDelay } from '../db/node-socket.ts';
import { openPostgres } from '../db/postgres.ts';
import { createRefresher } from '../profiles/refresher.ts';
import type { RefresherRequest, ThreadOptions } from './refresher-thread.ts';

// The refresher's own thread (runtime/refresher-thread.ts): its own pool, its own event loop and heap.
const options = workerData as ThreadOptions;
const database = openPostgres(options.databaseUrl, withNoDelay({ max: options.pool }), { longLived: true });
// Runs only when asked: whoever starts the thread kicks it for what a previous run left queued.
const refresher = createRefresher(database, options.refresher);

async function answer(request: Exclude<RefresherRequest, { type: 'kick' }>): Promise<void> {
  if (request.type === 'settle') return refresher.settle();
  if (request.type === 'settleProfiles') return refresher.settleProfiles(request.workspaceId, request.profileIds);
  await refresher.stop();
  await database.close();
}

parentPort!.on('message', (request: RefresherRequest) => {
  if (request.type === 'kick') return refresher.kick();
  answer(request).then(
    () => parentPort!.postMessage({ id: request.id }),
    (error: unknown) => {
      // Only the SQLSTATE crosses over: a driver's message can quote the statement's parameters.
      const code = (error as { code?: unknown; cause?: { code?: unknown } }).cause?.code ?? (error as { code?: unknown }).code;
      parentPort!.postMessage({ id: request.id, failed: typeof code === 'string' ? code : 'unknown' });
    },
  );
});
