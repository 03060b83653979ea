import fs from 'node:fs';
import path from 'node:path';
import type { CopyResult } from './copy.ts';
import type { LoadResult } from './ingest.ts';

export interface PhaseReport extends LoadResult {
  eventsPerRequest: number;
  storedEvents: number;
  /** 2xx answers × events a request; stored can exceed it by the requests in flight at the deadline. */
  acknowledgedEvents: number;
  /** Collector CPU over the phase; 100 = one core, the most one Node thread can use. */
  collectorCpuPercent: number;
  eventsPerSec: number;
  peakRssMb: number;
}

export interface Report {
  startedAt: string;
  driver: 'postgres' | 'pglite';
  seconds: number;
  connections: number;
  machine: { cpus: number; node: string; loadAvg1mAtStart: number };
  batched: PhaseReport;
  single: PhaseReport;
  peakRssMb: number;
  /** Null with PGlite: the COPY comparison is about the server (see `copyNote`). */
  copy: CopyResult | null;
  copyNote?: string;
  ratioIngestToCopy: number | null;
  batchingGain: number;
  trackerSize: unknown;
  targets: Record<string, { target: string; value: string; pass: boolean | null }>;
}

/** The issue's targets; informational, the bench exits 0 whether they pass or not. */
export function judge(r: Omit<Report, 'targets'>): Report['targets'] {
  return {
    ingestVsCopy: {
      target: '>= 40% of raw COPY (indexed)',
      value: r.ratioIngestToCopy === null ? 'n/a' : `${(r.ratioIngestToCopy * 100).toFixed(1)}%`,
      pass: r.ratioIngestToCopy === null ? null : r.ratioIngestToCopy >= 0.4,
    },
    p99: { target: 'p99 < 100 ms at 50 connections (batched)', value: `${r.batched.latencyP99Ms} ms`, pass: r.batched.latencyP99Ms < 100 },
    rss: { target: 'collector RSS < 300 MB', value: `${r.peakRssMb.toFixed(0)} MB`, pass: r.peakRssMb < 300 },
  };
}

const n = (value: number) => Math.round(value).toLocaleString('en-US');
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
    name, n(p.eventsPerSec), n(p.storedEvents), n(p.requests), String(p.non2xx + p.errors), `${p.latencyP50Ms}`, `${p.latencyP99Ms}`,
    p.peakRssMb.toFixed(0), p.collectorCpuPercent.toFixed(0),
  ];
  const lines = [
    '',
    `Vista ingest benchmark: ${r.driver}, ${r.seconds} s a phase, ${r.connections} connections, ${r.machine.cpus} CPUs (load ${r.machine.loadAvg1mAtStart.toFixed(1)} at start), Node ${r.machine.node}`,
    '',
    table([
      ['phase', 'events/s stored', 'stored', 'requests', 'failed', 'p50 ms', 'p99 ms', 'peak RSS MB', 'collector CPU %'],
      phase(`POST /v1/batch (${r.batched.eventsPerRequest}/request)`, r.batched),
      phase('one event per request (/v1/page|track|identify)', r.single),
    ]),
    '',
    r.copy
      ? `raw COPY of ${n(r.copy.rows)} stored rows (500 rows/statement, 4 connections): ${n(r.copy.indexedRowsPerSec)} rows/s with the events indexes, ${n(r.copy.plainRowsPerSec)} rows/s without`
      : `raw COPY: ${r.copyNote ?? 'not measured'}`,
    `ingest / COPY (indexed): ${r.ratioIngestToCopy === null ? 'n/a' : `${(r.ratioIngestToCopy * 100).toFixed(1)}%`}`,
    `batching gain (batched / single events/s): ${r.batchingGain.toFixed(1)}x`,
  ];
  if (r.batched.sampleError || r.single.sampleError) lines.push(`first failure: ${r.batched.sampleError ?? r.single.sampleError}`);
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
