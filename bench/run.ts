/**
 * `npm run bench`: the collector's ingest rate with profiles maintained, without them
 * (VISTA_PROFILES=0), and against the raw COPY rate of its database.
 * The two modes run in alternating rounds (events only, profiles on, events only, ...) and the
 * ratio is taken between their medians: on a shared 2-core machine one phase's rate moves by
 * 20% from run to run, which a single pair would report as a change in the ratio.
 * Env: DATABASE_URL (else PGlite), BENCH_SECONDS (10 a phase), BENCH_CONNECTIONS (50),
 * BENCH_ROUNDS (3), BENCH_WARMUP (2 s per collector, unreported), BENCH_CPU_PROF (folder for
 * collector CPU profiles).
 */
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { RunningCollector } from './collector.ts';
import { measureCopy, type CopyResult } from './copy.ts';
import { countStored, createStore, createTenants, type BenchStore, type StoredCounts } from './database.ts';
import { generatePool, type Template } from './events.ts';
import { cycle } from './ingest.ts';
import { runCollector, type CollectorRun, type PhaseLoad } from './phases.ts';
import { judge, printReport, writeReport, type PhaseReport, type Report } from './report.ts';
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
const rounds = Math.max(1, Math.round(envNumber('BENCH_ROUNDS', 3)));
const serverUrl = process.env.DATABASE_URL || undefined;

let store: BenchStore | undefined;
const holder: { current?: RunningCollector } = {};

/** Stops the collector, then drops the scratch database and temp folder: nothing left behind. */
async function cleanup(): Promise<void> {
  await holder.current?.stop().catch(() => {});
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
  const roundNumbers = Array.from({ length: rounds }, (_, i) => i + 1);
  const names = roundNumbers.flatMap((r) => [`warmup-events-only-${r}`, `batched-events-only-${r}`, `warmup-identities-${r}`, `batched-identities-${r}`, `warmup-${r}`, `batched-${r}`]);
  const tenants = await createTenants(store, [...names, 'single']);
  const tenant = (phase: string) => tenants.find((t) => t.phase === phase)!;
  const common = { root, store, seconds, connections, log, holder, cpuProfDir: process.env.BENCH_CPU_PROF };
  const run = (env: Record<string, string>, warm: string, phases: CollectorRun['phases']) =>
    runCollector({ ...common, env, warmup: { seconds: warmup, phase: { name: warm, tenant: tenant(warm), next: batchBodies } }, phases });

  // VISTA_PROFILES is read once at start, so each mode gets its own collector process, every round.
  const eventsOnlyLoads = new Map<string, PhaseLoad>();
  const identitiesLoads = new Map<string, PhaseLoad>();
  const profilesLoads = new Map<string, PhaseLoad>();
  for (const r of roundNumbers) {
    log(`round ${r} of ${rounds}, collector 1: events only`);
    const eventsOnly = await run({ VISTA_PROFILES: '0' }, `warmup-events-only-${r}`, [
      { name: `batched-events-only-${r}`, tenant: tenant(`batched-events-only-${r}`), next: batchBodies },
    ]);
    log(`round ${r} of ${rounds}, collector 2: identities maintained, no profiles`);
    const identitiesOnly = await run({ VISTA_PROFILES: 'identities' }, `warmup-identities-${r}`, [
      { name: `batched-identities-${r}`, tenant: tenant(`batched-identities-${r}`), next: batchBodies },
    ]);
    log(`round ${r} of ${rounds}, collector 3: identities and profiles maintained (the default)`);
    const withProfiles = await run({ VISTA_PROFILES: '1' }, `warmup-${r}`, [
      { name: `batched-${r}`, tenant: tenant(`batched-${r}`), next: batchBodies },
      ...(r === 1 ? [{ name: 'single', tenant: tenant('single'), next: singleBodies }] : []),
    ]);
    for (const [name, load] of eventsOnly) eventsOnlyLoads.set(name, load);
    for (const [name, load] of identitiesOnly) identitiesLoads.set(name, load);
    for (const [name, load] of withProfiles) profilesLoads.set(name, load);
  }

  const counts = await countStored(store, tenants);
  const phase = (name: string, loads: Map<string, PhaseLoad>, perRequest: number, profiles: boolean): PhaseReport => {
    const load = loads.get(name)!;
    const stored: StoredCounts = counts.get(name) ?? { events: 0, profiles: 0 };
    return {
      ...load, profiles, eventsPerRequest: perRequest, storedEvents: stored.events, storedProfiles: stored.profiles,
      eventsPerSec: stored.events / (load.seconds + load.settleSeconds), acknowledgedEvents: (load.requests - load.non2xx) * perRequest,
      cpuMicrosPerEvent: load.machineCpuSeconds > 0 && stored.events > 0 ? (load.machineCpuSeconds / stored.events) * 1e6 : null,
    };
  };
  const eventsOnlyRounds = roundNumbers.map((r) => phase(`batched-events-only-${r}`, eventsOnlyLoads, EVENTS_PER_REQUEST, false));
  const identitiesRounds = roundNumbers.map((r) => phase(`batched-identities-${r}`, identitiesLoads, EVENTS_PER_REQUEST, false));
  const profilesRounds = roundNumbers.map((r) => phase(`batched-${r}`, profilesLoads, EVENTS_PER_REQUEST, true));
  const batchedEventsOnly = median(eventsOnlyRounds);
  const batchedIdentities = median(identitiesRounds);
  const batched = median(profilesRounds);
  const single = phase('single', profilesLoads, 1, true);
  log(`profiles rows: ${batched.storedProfiles} with profiles on, ${batchedEventsOnly.storedProfiles} events only`);

  let copy: CopyResult | null = null;
  let copyNote: string | undefined;
  if (store.url) {
    log('raw COPY of the stored rows');
    copy = await measureCopy(store.url, tenant('batched-events-only-1').workspaceId, COPY_ROWS);
  } else {
    copyNote = 'skipped with PGlite: the ratio compares the collector with a PostgreSQL server (set DATABASE_URL)';
  }

  const toCopy = (p: PhaseReport) => (copy ? p.eventsPerSec / copy.indexedRowsPerSec : null);
  const base = {
    startedAt, driver: store.driver, seconds, connections,
    machine: { cpus: os.availableParallelism(), node: process.versions.node, loadAvg1mAtStart },
    batchedEventsOnly, batched, single, peakRssMb: Math.max(batchedEventsOnly.peakRssMb, batchedIdentities.peakRssMb, batched.peakRssMb, single.peakRssMb),
    copy, copyNote, ratioIngestToCopy: toCopy(batchedEventsOnly), ratioProfilesToCopy: toCopy(batched),
    ratioProfilesToEventsOnly: share(batched, batchedEventsOnly),
    batchedIdentities,
    ratioIdentitiesToEventsOnly: share(batchedIdentities, batchedEventsOnly),
    ratioProfilesToIdentities: share(batched, batchedIdentities),
    cpuPerEvent: medianCpu(eventsOnlyRounds, identitiesRounds, profilesRounds),
    rounds: roundNumbers.map((r, i) => ({
      round: r, eventsOnly: eventsOnlyRounds[i]!.eventsPerSec, identities: identitiesRounds[i]!.eventsPerSec, profiles: profilesRounds[i]!.eventsPerSec,
      ratio: share(profilesRounds[i]!, eventsOnlyRounds[i]!),
    })),
    batchingGain: single.eventsPerSec > 0 ? batched.eventsPerSec / single.eventsPerSec : 0,
    trackerSize: await loadTrackerSize(),
  };
  const report = { ...base, targets: judge(base) };
  printReport(report);
  console.log(`\nwritten to ${path.relative(process.cwd(), writeReport(report, path.join(root, 'bench/results')))}`);
}

/** The round with the median rate (the lower middle one for an even count), whole, so its latency and CPU go with it. */
function median(phases: PhaseReport[]): PhaseReport {
  return [...phases].sort((a, b) => a.eventsPerSec - b.eventsPerSec)[Math.floor((phases.length - 1) / 2)]!;
}

function medianOf(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

function medianCpu(eventsOnly: PhaseReport[], identities: PhaseReport[], profiles: PhaseReport[]): Report['cpuPerEvent'] {
  const known = (phases: PhaseReport[]) => phases.map((p) => p.cpuMicrosPerEvent).filter((v): v is number => v !== null);
  const [e, i, p] = [known(eventsOnly), known(identities), known(profiles)];
  return e.length > 0 && i.length > 0 && p.length > 0 ? { eventsOnly: medianOf(e), identities: medianOf(i), profiles: medianOf(p) } : null;
}

/** One phase's rate as a share of another's (0 when the other stored nothing). */
function share(part: PhaseReport, whole: PhaseReport): number {
  return whole.eventsPerSec > 0 ? part.eventsPerSec / whole.eventsPerSec : 0;
}

try {
  await main();
} finally {
  await cleanup();
}
