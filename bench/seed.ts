/**
 * `npx tsx bench/seed.ts`: a realistic workspace of SEED_EVENTS events (1,000,000) sent
 * through the collector's HTTP API (POST /v1/batch, 500 events a request, SEED_CONNECTIONS
 * concurrent requests), profiles on, into a scratch database (DATABASE_URL, else PGlite) that
 * is dropped at the end unless BENCH_KEEP=1. Prints the seeding rate.
 */
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { desc, eq } from 'drizzle-orm';
import { startCollector, type RunningCollector } from './collector.ts';
import { createStore, createTenants, type BenchStore, type Tenant } from './database.ts';
import { seedTraffic, type TrafficStats } from './seed-traffic.ts';
import type { Json } from './messages.ts';
import { sources, workspaces } from '../packages/collector/src/db/schema.ts';
import { MAX_BATCH_BYTES } from '../packages/collector/src/ingest/limits.ts';
import { rotateKey } from '../packages/collector/src/tenancy/tenancy.ts';

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const SEED_PHASE = 'seed';
const PER_REQUEST = 500;

export interface SeedResult {
  tenant: Tenant;
  events: number;
  /** Events the collector answered as newly stored. */
  stored: number;
  rejected: number;
  requests: number;
  seconds: number;
  eventsPerSec: number;
  peakRssMb: number;
  traffic: TrafficStats;
}

export interface SeedOptions {
  store: BenchStore;
  events: number;
  connections: number;
  log: (line: string) => void;
  holder: { current?: RunningCollector };
}

async function post(port: number, writeKey: string, batch: Json[]): Promise<{ stored: number; rejected: number; requests: number }> {
  const body = JSON.stringify({ batch });
  // Segment's 500 KB batch limit: a rare oversized batch goes in two halves.
  if (Buffer.byteLength(body) > MAX_BATCH_BYTES - 1024 && batch.length > 1) {
    const half = Math.ceil(batch.length / 2);
    const [a, b] = await Promise.all([post(port, writeKey, batch.slice(0, half)), post(port, writeKey, batch.slice(half))]);
    return { stored: a.stored + b.stored, rejected: a.rejected + b.rejected, requests: a.requests + b.requests };
  }
  const response = await fetch(`http://127.0.0.1:${port}/v1/batch`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Basic ${Buffer.from(`${writeKey}:`).toString('base64')}` },
    body,
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`seeding failed: ${response.status} ${text.slice(0, 300)}`);
  const outcome = JSON.parse(text) as { stored?: number; errors?: unknown[] };
  return { stored: outcome.stored ?? 0, rejected: outcome.errors?.length ?? 0, requests: 1 };
}

/** Creates the seed workspace and fills it through a collector of its own (profiles on). */
export async function seedWorkspace(options: SeedOptions): Promise<SeedResult> {
  const { store, log } = options;
  const [tenant] = await createTenants(store, [SEED_PHASE]);
  const visitors = Math.max(100, Math.round((60_000 * options.events) / 1_000_000));
  const traffic = seedTraffic({ events: options.events, visitors, perBatch: PER_REQUEST, tag: `seed${Date.now().toString(36)}` });
  log(`seeding ${options.events.toLocaleString('en-US')} events of ${visitors.toLocaleString('en-US')} visitors: ${JSON.stringify(traffic.stats)}`);
  const collector = await startCollector({ root, databaseUrl: store.url, dataDir: store.dataDir, env: { VISTA_PROFILES: '1' } });
  options.holder.current = collector;
  const totals = { stored: 0, rejected: 0, requests: 0, sent: 0, peakRssMb: 0 };
  const rss = () => (totals.peakRssMb = Math.max(totals.peakRssMb, collector.takePeakRssMb()));
  const started = performance.now();
  try {
    const batches = traffic.batches();
    let nextReport = options.events / 10;
    const worker = async () => {
      // One generator shared by the workers: each takes the next batch when its request is answered.
      for (let item = batches.next(); !item.done; item = batches.next()) {
        const outcome = await post(collector.port, tenant!.writeKey, item.value);
        totals.stored += outcome.stored;
        totals.rejected += outcome.rejected;
        totals.requests += outcome.requests;
        totals.sent += item.value.length;
        if (totals.sent >= nextReport) {
          nextReport += options.events / 10;
          const secs = (performance.now() - started) / 1000;
          log(`  ${totals.sent.toLocaleString('en-US')} events in ${secs.toFixed(0)} s: ${Math.round(totals.sent / secs)} events/s, peak RSS ${rss().toFixed(0)} MB`);
        }
      }
    };
    await Promise.all(Array.from({ length: options.connections }, worker));
  } finally {
    rss();
    await collector.stop();
    options.holder.current = undefined;
  }
  const seconds = (performance.now() - started) / 1000;
  return {
    tenant: tenant!, events: totals.sent, stored: totals.stored, rejected: totals.rejected, requests: totals.requests,
    seconds, eventsPerSec: totals.sent / seconds, peakRssMb: totals.peakRssMb, traffic: traffic.stats,
  };
}

/** The newest seed workspace of an existing database, with fresh keys (the old ones are not kept in clear). */
export async function reuseSeedTenant(store: BenchStore): Promise<Tenant> {
  const database = await store.open();
  try {
    const [workspace] = await database.db.select().from(workspaces).where(eq(workspaces.name, `bench ${SEED_PHASE}`)).orderBy(desc(workspaces.createdAt)).limit(1);
    if (!workspace) throw new Error(`no "bench ${SEED_PHASE}" workspace in the database: seed it with BENCH_KEEP=1 npx tsx bench/seed.ts`);
    const [source] = await database.db.select().from(sources).where(eq(sources.workspaceId, workspace.id)).limit(1);
    if (!source) throw new Error(`workspace ${workspace.id} has no source`);
    const secret = await rotateKey(database.db, workspace.id);
    const write = await rotateKey(database.db, source.id);
    return { phase: SEED_PHASE, workspaceId: workspace.id, sourceId: source.id, writeKey: write.key, secretKey: secret.key };
  } finally {
    await database.close();
  }
}

export function envCount(name: string, fallback: number): number {
  const value = Number(process.env[name] ?? fallback);
  if (!Number.isInteger(value) || value < 1) throw new Error(`${name} must be a positive integer`);
  return value;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const log = (line: string) => console.error(`[seed] ${line}`);
  const store = await createStore(process.env.DATABASE_URL || undefined);
  const holder: { current?: RunningCollector } = {};
  const keep = process.env.BENCH_KEEP === '1';
  process.once('SIGINT', () => void holder.current?.stop().finally(() => store.dispose()).finally(() => process.exit(130)));
  try {
    const result = await seedWorkspace({ store, events: envCount('SEED_EVENTS', 1_000_000), connections: envCount('SEED_CONNECTIONS', 4), log, holder });
    console.log(JSON.stringify({ ...result, tenant: { workspaceId: result.tenant.workspaceId } }, null, 2));
    console.log(`seeded ${result.events.toLocaleString('en-US')} events in ${result.seconds.toFixed(0)} s: ${Math.round(result.eventsPerSec).toLocaleString('en-US')} events/s`);
    if (keep) console.log(`kept: ${store.url ? `SEED_DATABASE_URL=${store.url}` : `PGlite folder ${store.dataDir}`}`);
  } finally {
    await (keep ? store.keep() : store.dispose());
  }
}
