import fs from 'node:fs';
import path from 'node:path';
import type { CopyResult } from './copy.ts';
import type { PhaseLoad } from './phases.ts';

export interface PhaseReport extends PhaseLoad {
  /** Whether the collector maintained identities and profiles (VISTA_PROFILES unset) or stored events only. */
  profiles: boolean;
  eventsPerRequest: number;
  storedEvents: number;
  /** 2xx answers × events a request; stored can exceed it by the requests in flight at the deadline. */
  acknowledgedEvents: number;
  eventsPerSec: number;
  /** Rows in `profiles` for the phase's workspace after the run: 0 when events only. */
  storedProfiles: number;
  /** machineCpuSeconds per stored event, in microseconds (null without /proc/stat). */
  cpuMicrosPerEvent: number | null;
}

export interface Report {
  startedAt: string;
  driver: 'postgres' | 'pglite';
  seconds: number;
  connections: number;
  machine: { cpus: number; node: string; loadAvg1mAtStart: number };
  /** POST /v1/batch, collector started with VISTA_PROFILES=0: the ingest rate without profiles (the median round). */
  batchedEventsOnly: PhaseReport;
  /** POST /v1/batch, profiles maintained in the same transaction (the default; the median round). */
  batched: PhaseReport;
  /** POST /v1/batch, collector started with VISTA_PROFILES=identities: identities (and their warnings) but no profiles (the median round). */
  batchedIdentities: PhaseReport;
  /** Median batched events/s with identities only / events only: 1 - the cost of identity. */
  ratioIdentitiesToEventsOnly: number;
  /** Median batched events/s with profiles / identities only: 1 - the cost of the profile stage alone. */
  ratioProfilesToIdentities: number;
  /** Every round's batched events/s in each mode, and profiles on / events only. */
  rounds: Array<{ round: number; eventsOnly: number; identities: number; profiles: number; ratio: number }>;
  /** Median whole-machine CPU per stored event over the rounds, per mode (µs); null without /proc/stat. */
  cpuPerEvent: { eventsOnly: number; identities: number; profiles: number } | null;
  /** One event a request, profiles on. */
  single: PhaseReport;
  peakRssMb: number;
  /** Null with PGlite: the COPY comparison is about the server (see `copyNote`). */
  copy: CopyResult | null;
  copyNote?: string;
  /** Events-only batched ingest / COPY (indexed). */
  ratioIngestToCopy: number | null;
  /** Batched ingest with profiles / COPY (indexed). */
  ratioProfilesToCopy: number | null;
  /** Median batched events/s with profiles / median without: 1 - the cost of profiles. */
  ratioProfilesToEventsOnly: number;
  batchingGain: number;
  trackerSize: unknown;
  targets: Record<string, { target: string; value: string; pass: boolean | null }>;
}

/** The issue's targets; informational, the bench exits 0 whether they pass or not. */
export function judge(r: Omit<Report, 'targets'>): Report['targets'] {
  return {
    profilesCost: {
      target: 'ingest with profiles >= 67% of events only (profiles cost at most a third)',
      value: ratio(r.ratioProfilesToEventsOnly),
      pass: r.ratioProfilesToEventsOnly >= 0.67,
    },
    profilesStored: {
      target: 'profiles rows > 0 with profiles on, = 0 events only',
      value: `${r.batched.storedProfiles} / ${r.batchedEventsOnly.storedProfiles}`,
      pass: r.batched.storedProfiles > 0 && r.batchedEventsOnly.storedProfiles === 0,
    },
    ingestVsCopy: {
      target: 'ingest (events only) >= 40% of raw COPY (indexed)',
      value: ratio(r.ratioIngestToCopy),
      pass: r.ratioIngestToCopy === null ? null : r.ratioIngestToCopy >= 0.4,
    },
    p99: { target: 'p99 < 100 ms at 50 connections (batched, profiles on)', value: `${r.batched.latencyP99Ms} ms`, pass: r.batched.latencyP99Ms < 100 },
    rss: { target: 'collector RSS < 300 MB', value: `${r.peakRssMb.toFixed(0)} MB`, pass: r.peakRssMb < 300 },
  };
}

const n = (value: number) => Math.round(value).toLocaleString('en-US');
const ratio = (value: number | null) => (value === null ? 'n/a' : `${(value * 100).toFixed(1)}%`);
const mark = (pass: boolean | null) => (pass === null ? 'n/a ' : pass ? 'PASS' : 'FAIL');

function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((row) => (row[i] ?? '').length)));
  return rows.map((row) => row.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join('  ')).join('\n');
}

/** The flat `key: value` lines of whatever measureTrackerSize() returned, whatever its shape. */
function flatten(value: unknown, prefix = ''): string[] {
  if (value === null || typeof value !== 'object') return [`  ${prefix || 'value'}: ${String(value)}`];
  return Object.entries(value).flatMap(([key, inner]) => flatten(inner, prefix ? `${prefix}.${key}` : key));
}

export function printReport(r: Report): void {
  const phase = (name: string, p: PhaseReport) => [
    name, n(p.eventsPerSec), n(p.storedEvents), n(p.storedProfiles), n(p.requests), String(p.non2xx + p.errors), `${p.latencyP50Ms}`, `${p.latencyP99Ms}`,
    p.peakRssMb.toFixed(0), p.collectorCpuPercent.toFixed(0), p.settleSeconds.toFixed(2), p.cpuMicrosPerEvent === null ? 'n/a' : p.cpuMicrosPerEvent.toFixed(0),
  ];
  const lines = [
    '',
    `Vista ingest benchmark: ${r.driver}, ${r.seconds} s a phase, ${r.connections} connections, ${r.machine.cpus} CPUs (load ${r.machine.loadAvg1mAtStart.toFixed(1)} at start), Node ${r.machine.node}`,
    '',
    table([
      // events/s divides by the load's seconds plus the settle: the time until every profile it touched was current.
      ['phase', 'events/s stored', 'stored', 'profiles', 'requests', 'failed', 'p50 ms', 'p99 ms', 'peak RSS MB', 'collector CPU %', 'settle s', 'CPU µs/event'],
      phase(`POST /v1/batch (${r.batched.eventsPerRequest}/request), events only (median round)`, r.batchedEventsOnly),
      phase(`POST /v1/batch (${r.batched.eventsPerRequest}/request), identities, no profiles (median round)`, r.batchedIdentities),
      phase(`POST /v1/batch (${r.batched.eventsPerRequest}/request), profiles on (median round)`, r.batched),
      phase('one event per request (/v1/page|track|identify), profiles on', r.single),
    ]),
    '',
    r.copy
      ? `raw COPY of ${n(r.copy.rows)} stored rows (500 rows/statement, 4 connections): ${n(r.copy.indexedRowsPerSec)} rows/s with the events indexes, ${n(r.copy.plainRowsPerSec)} rows/s without`
      : `raw COPY: ${r.copyNote ?? 'not measured'}`,
    `ingest / COPY (indexed): events only ${ratio(r.ratioIngestToCopy)}, profiles on ${ratio(r.ratioProfilesToCopy)}`,
    `profiles on / events only (batched events/s, medians of ${r.rounds.length} rounds): ${ratio(r.ratioProfilesToEventsOnly)} (target >= 67%)`,
    `  rounds (events only / identities / profiles on = ratio): ${r.rounds.map((x) => `${n(x.eventsOnly)} / ${n(x.identities)} / ${n(x.profiles)} = ${ratio(x.ratio)}`).join(', ')}`,
    `  where it goes: identities only / events only ${ratio(r.ratioIdentitiesToEventsOnly)}, profiles on / identities only ${ratio(r.ratioProfilesToIdentities)}`,
    r.cpuPerEvent
      ? `work per stored event, whole machine (collector, PostgreSQL, load generator; medians): events only ${n(r.cpuPerEvent.eventsOnly)} µs, identities ${n(r.cpuPerEvent.identities)} µs, profiles on ${n(r.cpuPerEvent.profiles)} µs`
      : 'work per stored event: n/a (no /proc/stat)',
    `batching gain (batched / single events/s): ${r.batchingGain.toFixed(1)}x`,
  ];
  const failure = r.batchedEventsOnly.sampleError ?? r.batchedIdentities.sampleError ?? r.batched.sampleError ?? r.single.sampleError;
  if (failure) lines.push(`first failure: ${failure}`);
  lines.push('', r.trackerSize === null ? 'tracker size: bench/tracker-size.ts not available' : ['tracker size:', ...flatten(r.trackerSize)].join('\n'));
  lines.push('', 'targets (informational):');
  for (const t of Object.values(r.targets)) lines.push(`  ${mark(t.pass)}  ${t.target}: ${t.value}`);
  console.log(lines.join('\n'));
}

/** bench/results/ingest-<iso>.json; colons are left out of the name for portability. */
export function writeReport(r: Report, resultsDir: string): string {
  fs.mkdirSync(resultsDir, { recursive: true });
  const file = path.join(resultsDir, `ingest-${r.startedAt.replace(/[:.]/g, '-')}.json`);
  fs.writeFileSync(file, `${JSON.stringify(r, null, 2)}\n`);
  return file;
}
