/**
 * `npx tsx bench/catch-up.ts`: how fast the refresher catches up a backlog with the machine to
 * itself, apart from ingest (whose rate `npm run bench` measures with it). CATCHUP_EVENTS events
 * (the main bench's traffic) are queued through the collector's writer with no refresher
 * running, then one settle is timed; then as many again for the same people (their profiles now
 * have a stored fold to continue), and a second settle. Reports events/s and CPU per event of
 * this process (the refresher) and of PostgreSQL. DATABASE_URL, else PGlite; dropped at the end.
 * CATCHUP_CPU_PROF=folder writes a CPU profile of each settle alone there. CATCHUP_THREAD=1 runs
 * the refresher in its thread, as the collector does on PostgreSQL (no outcome counts then).
 */
import fs from 'node:fs';
import { Session } from 'node:inspector/promises';
import path from 'node:path';
import { cpuSeconds } from './collector.ts';
import { createStore, createTenants, type BenchStore } from './database.ts';
import { generatePool } from './events.ts';
import { rowsFor } from './rows.ts';
import { createEventWriter } from '../packages/collector/src/db/event-writer.ts';
import type { Database } from '../packages/collector/src/db/database.ts';
import type { CatchUpOutcome } from '../packages/collector/src/profiles/catch-up.ts';
import { createRefresher, type ProfileRefresher } from '../packages/collector/src/profiles/refresher.ts';
import { startRefresherThread } from '../packages/collector/src/runtime/refresher-thread.ts';

const count = Number(process.env.CATCHUP_EVENTS ?? 60_000);
const GROUP_ROWS = 300;

/** CPU seconds of every process whose name is `postgres` (the server and its backends), from /proc; 0 elsewhere. */
function postgresCpuSeconds(): number {
  const pids = fs.existsSync('/proc') ? fs.readdirSync('/proc').filter((pid) => /^\d+$/.test(pid)) : [];
  const isPostgres = (pid: string) => {
    try {
      return fs.readFileSync(`/proc/${pid}/comm`, 'utf8').trim() === 'postgres';
    } catch {
      return false; // Gone meanwhile.
    }
  };
  return pids.filter(isPostgres).reduce((sum, pid) => sum + cpuSeconds(Number(pid)), 0);
}

async function queue(database: Database, rows: Awaited<ReturnType<typeof rowsFor>>): Promise<void> {
  const writer = createEventWriter(database, { rebuild: 'queued' });
  for (let i = 0; i < rows.length; i += GROUP_ROWS) await writer.write(rows.slice(i, i + GROUP_ROWS));
}

/** With CATCHUP_CPU_PROF: profiling from now until the returned function writes the profile. */
async function startProfiler(): Promise<((label: string) => Promise<void>) | null> {
  const folder = process.env.CATCHUP_CPU_PROF;
  if (!folder) return null;
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.start');
  return async (label) => {
    const { profile } = await session.post('Profiler.stop');
    fs.mkdirSync(folder, { recursive: true });
    fs.writeFileSync(path.join(folder, `${label.replaceAll(' ', '-')}.cpuprofile`), JSON.stringify(profile));
    session.disconnect();
  };
}

const sum: CatchUpOutcome = { folded: 0, unchanged: 0, rebuilt: 0, deferred: 0 };

function startRefresher(database: Database, url: string | undefined): ProfileRefresher {
  if (process.env.CATCHUP_THREAD === '1' && url) return startRefresherThread({ databaseUrl: url, pool: 3, refresher: { batch: 500 } });
  return createRefresher(database, {
    batch: 500,
    onCatchUp: (o) => Object.assign(sum, { folded: sum.folded + o.folded, unchanged: sum.unchanged + o.unchanged, rebuilt: sum.rebuilt + o.rebuilt, deferred: sum.deferred + o.deferred }),
  });
}

async function timedSettle(refresher: ProfileRefresher, label: string): Promise<void> {
  Object.assign(sum, { folded: 0, unchanged: 0, rebuilt: 0, deferred: 0 });
  const profiler = await startProfiler();
  const [cpu, pg, started] = [process.cpuUsage(), postgresCpuSeconds(), performance.now()];
  await refresher.settle();
  const seconds = (performance.now() - started) / 1000;
  const used = process.cpuUsage(cpu);
  await profiler?.(label);
  const perEvent = (s: number) => ((s / count) * 1e6).toFixed(0);
  console.log(`${label}: ${count.toLocaleString('en-US')} events in ${seconds.toFixed(2)} s = ${Math.round(count / seconds).toLocaleString('en-US')} events/s; `
    + `CPU per event: refresher ${perEvent((used.user + used.system) / 1e6)} µs, PostgreSQL ${perEvent(postgresCpuSeconds() - pg)} µs; `
    + `${sum.folded} folded on, ${sum.unchanged} profiles unchanged, ${sum.rebuilt} rebuilt`);
}

let store: BenchStore | undefined;
try {
  store = await createStore(process.env.DATABASE_URL || undefined);
  const [tenant] = await createTenants(store, ['catch-up']);
  const database = await store.open();
  try {
    // Started, and answering, before anything is timed (a thread compiles its modules first).
    const refresher = startRefresher(database, store.url);
    await refresher.settle();
    try {
      const pool = generatePool(Math.ceil(count / 20), 20, `catchup${Date.now().toString(36)}`);
      await queue(database, await rowsFor(tenant!.workspaceId, tenant!.sourceId, count, { pool, from: 0 }));
      await timedSettle(refresher, 'new profiles');
      await queue(database, await rowsFor(tenant!.workspaceId, tenant!.sourceId, count, { pool, from: pool.batches.length }));
      await timedSettle(refresher, 'stored profiles continued');
    } finally {
      await refresher.stop();
    }
  } finally {
    await database.close();
  }
} finally {
  await store?.dispose();
}
