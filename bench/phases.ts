import fs from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { startCollector, type RunningCollector } from './collector.ts';
import type { BenchStore, Tenant } from './database.ts';
import type { Template } from './events.ts';
import { runLoad, type LoadResult } from './ingest.ts';

export type NextRequest = () => { path: string; template: Template };

export interface Phase {
  name: string;
  tenant: Tenant;
  next: NextRequest;
}

export interface PhaseLoad extends LoadResult {
  /** Collector CPU over the phase; 100 = one core, the most one Node thread can use. */
  collectorCpuPercent: number;
  /** The collector's peak RSS during the phase, in MB. */
  peakRssMb: number;
  /**
   * Seconds after the load until every profile it touched was current (a profile read waits for
   * pending rebuilds): work left behind counts against the phase, so the rate is not flattered.
   */
  settleSeconds: number;
  /**
   * CPU seconds the whole machine spent (collector, PostgreSQL, load generator; not steal) from the
   * start of the load to the end of the settle; 0 where /proc/stat is missing. Per stored event it
   * measures work, which moves far less than a rate does when a shared machine is busy elsewhere.
   */
  machineCpuSeconds: number;
}

/** Busy time of all CPUs so far (user, nice, system, irq, softirq), from /proc/stat, in seconds. */
function machineCpuSeconds(): number {
  try {
    const [user, nice, system, , , irq, softirq] = fs.readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
    return (user! + nice! + system! + irq! + softirq!) / 100;
  } catch {
    return 0;
  }
}

/** A profile read answers only once the profiles dirty at that moment are rebuilt (read-your-writes). */
async function settle(port: number, tenant: Tenant): Promise<number> {
  const started = performance.now();
  const res = await fetch(`http://127.0.0.1:${port}/v1/profiles?limit=1`, { headers: { authorization: `Bearer ${tenant.secretKey}` } });
  if (!res.ok) throw new Error(`settling profiles: GET /v1/profiles answered ${res.status}`);
  await res.arrayBuffer();
  return (performance.now() - started) / 1000;
}

export interface CollectorRun {
  root: string;
  store: BenchStore;
  /** Environment of this collector process (VISTA_PROFILES is read once, at start). */
  env: Record<string, string>;
  cpuProfDir?: string;
  seconds: number;
  connections: number;
  warmup: { seconds: number; phase: Phase };
  phases: Phase[];
  log: (line: string) => void;
  /** Holds the running collector, so an interrupt can stop it. */
  holder: { current?: RunningCollector };
}

/**
 * One collector process through its phases: started with its own environment, warmed up
 * (unreported), loaded phase after phase, then stopped. Each phase has its own workspace, so
 * counting a workspace's rows counts one phase.
 */
export async function runCollector(run: CollectorRun): Promise<Map<string, PhaseLoad>> {
  const { store, log } = run;
  const collector = await startCollector({ root: run.root, databaseUrl: store.url, dataDir: store.dataDir, cpuProfDir: run.cpuProfDir, env: run.env });
  run.holder.current = collector;
  const results = new Map<string, PhaseLoad>();
  try {
    log(`collector pid ${collector.pid} on port ${collector.port} (${Object.entries(run.env).map(([k, v]) => `${k}=${v}`).join(' ')})`);
    // Each phase also records the collector's CPU use: near 100% of one core means Node is the limit.
    const load = async (phase: Phase, seconds: number): Promise<PhaseLoad> => {
      const cpuBefore = collector.cpuSeconds();
      const machineBefore = machineCpuSeconds();
      const result = await runLoad({ port: collector.port, writeKey: phase.tenant.writeKey, seconds, connections: run.connections, next: phase.next });
      const collectorCpuPercent = ((collector.cpuSeconds() - cpuBefore) / result.seconds) * 100;
      const settleSeconds = run.env.VISTA_PROFILES === '0' ? 0 : await settle(collector.port, phase.tenant);
      await sleep(1000); // Lets requests still in flight at the deadline finish before the next phase.
      // After the pause: the work of the requests still in flight at the deadline is in the stored count too.
      const machineCpu = machineCpuSeconds() - machineBefore;
      return { ...result, collectorCpuPercent, peakRssMb: collector.takePeakRssMb(), settleSeconds, machineCpuSeconds: machineCpu };
    };
    if (run.warmup.seconds > 0) {
      log(`warm-up ${run.warmup.seconds} s`);
      await load(run.warmup.phase, run.warmup.seconds);
    }
    collector.takePeakRssMb();
    for (const phase of run.phases) {
      log(`${phase.name}: ${run.seconds} s, ${run.connections} connections`);
      results.set(phase.name, await load(phase, run.seconds));
    }
  } finally {
    await collector.stop(); // Before counting: PGlite lets one process at a time open its folder.
    run.holder.current = undefined;
  }
  return results;
}
