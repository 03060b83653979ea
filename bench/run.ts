/**
 * `npm run bench`: the collector's ingest rate against the raw COPY rate of its database.
 * Env: DATABASE_URL (else PGlite), BENCH_SECONDS (10 a phase), BENCH_CONNECTIONS (50),
 * BENCH_WARMUP (2 s, unreported), BENCH_CPU_PROF (folder for a collector CPU profile).
 */
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import { startCollector, type RunningCollector } from './collector.ts';
import { measureCopy, type CopyResult } from './copy.ts';
import { countStored, createStore, createTenants, type BenchStore } from './database.ts';
import { generatePool, type Template } from './events.ts';
import { cycle, runLoad } from './ingest.ts';
import { judge, printReport, writeReport, type PhaseReport } from './report.ts';
import { loadTrackerSize } from './tracker.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const EVENTS_PER_REQUEST = 20;
const POOL_BODIES = 2000;
/** Rows read back for the COPY phase: enough for a steady rate, bounded in memory. */
const COPY_ROWS = 200_000;

function envNumber(name: string, fallback: number): number {
  const value = Number(process.env[name] ?? fallback);
  if (!Number.isFinite(value) || value < 0) throw new Error(`${name} must be a non-negative number`);
  return value;
}

const seconds = envNumber('BENCH_SECONDS', 10);
const connections = envNumber('BENCH_CONNECTIONS', 50);
const warmup = envNumber('BENCH_WARMUP', 2);
const serverUrl = process.env.DATABASE_URL || undefined;

let store: BenchStore | undefined;
let collector: RunningCollector | undefined;

/** Stops the collector, then drops the scratch database and temp folder: nothing left behind. */
async function cleanup(): Promise<void> {
  await collector?.stop().catch(() => {});
  await store?.dispose().catch((error: unknown) => console.error('cleanup failed:', error));
}

process.once('SIGINT', () => {
  console.error('interrupted; cleaning up');
  void cleanup().finally(() => process.exit(130));
});

async function main(): Promise<void> {
  const startedAt = new Date().toISOString();
  // Other work on a 2-core machine skews every figure; the load average says whether it was quiet.
  const loadAvg1mAtStart = os.loadavg()[0]!;
  const log = (line: string) => console.error(`[bench] ${line}`);
  const pool = generatePool(POOL_BODIES, EVENTS_PER_REQUEST, `b${Date.now().toString(36)}`);
  const batchBodies = cycle(pool.batches.map((template: Template) => ({ path: '/v1/batch', template })));
  const singleBodies = cycle(pool.singles);

  store = await createStore(serverUrl);
  log(`storing in ${store.driver}${store.url ? ` (scratch database ${new URL(store.url).pathname.slice(1)})` : ` (${store.dataDir})`}`);
  const tenants = await createTenants(store, ['warmup', 'batched', 'single']);
  const key = (phase: string) => tenants.find((t) => t.phase === phase)!;
  collector = await startCollector({ root, databaseUrl: store.url, dataDir: store.dataDir, cpuProfDir: process.env.BENCH_CPU_PROF });
  log(`collector pid ${collector.pid} on port ${collector.port}`);

  // Each phase also records the collector's CPU use: near 100% of one core means Node is the limit.
  const load = async (phase: string, secs: number, next: () => { path: string; template: Template }) => {
    const cpuBefore = collector!.cpuSeconds();
    const result = await runLoad({ port: collector!.port, writeKey: key(phase).writeKey, seconds: secs, connections, next });
    return { ...result, collectorCpuPercent: ((collector!.cpuSeconds() - cpuBefore) / result.seconds) * 100 };
  };
  if (warmup > 0) {
    log(`warm-up ${warmup} s`);
    await load('warmup', warmup, batchBodies);
    await sleep(500);
  }
  collector.takePeakRssMb();
  log(`batched: ${seconds} s, ${connections} connections, ${EVENTS_PER_REQUEST} events a request`);
  const batchedLoad = await load('batched', seconds, batchBodies);
  await sleep(1000); // Lets requests still in flight at the deadline finish before the next phase.
  const batchedRss = collector.takePeakRssMb();
  log(`single: ${seconds} s, one event a request`);
  const singleLoad = await load('single', seconds, singleBodies);
  await sleep(1000);
  const singleRss = collector.takePeakRssMb();
  await collector.stop(); // Before counting: PGlite lets one process at a time open its folder.
  collector = undefined;

  const counts = await countStored(store, tenants);
  const phase = (load: typeof batchedLoad, stored: number, perRequest: number, rss: number): PhaseReport => ({
    ...load, eventsPerRequest: perRequest, storedEvents: stored, eventsPerSec: stored / load.seconds, peakRssMb: rss,
    acknowledgedEvents: (load.requests - load.non2xx) * perRequest,
  });
  const batched = phase(batchedLoad, counts.get('batched') ?? 0, EVENTS_PER_REQUEST, batchedRss);
  const single = phase(singleLoad, counts.get('single') ?? 0, 1, singleRss);

  let copy: CopyResult | null = null;
  let copyNote: string | undefined;
  if (store.url) {
    log('raw COPY of the stored rows');
    copy = await measureCopy(store.url, key('batched').workspaceId, COPY_ROWS);
  } else {
    copyNote = 'skipped with PGlite: the ratio compares the collector with a PostgreSQL server (set DATABASE_URL)';
  }

  const base = {
    startedAt, driver: store.driver, seconds, connections,
    machine: { cpus: os.availableParallelism(), node: process.versions.node, loadAvg1mAtStart },
    batched, single, peakRssMb: Math.max(batchedRss, singleRss), copy, copyNote,
    ratioIngestToCopy: copy ? batched.eventsPerSec / copy.indexedRowsPerSec : null,
    batchingGain: single.eventsPerSec > 0 ? batched.eventsPerSec / single.eventsPerSec : 0,
    trackerSize: await loadTrackerSize(),
  };
  const report = { ...base, targets: judge(base) };
  printReport(report);
  console.log(`\nwritten to ${path.relative(process.cwd(), writeReport(report, path.join(root, 'bench/results')))}`);
}

try {
  await main();
} finally {
  await cleanup();
}
