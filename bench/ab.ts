/**
 * `npx tsx bench/ab.ts`: two collector settings compared in alternating rounds (A, B, A, B, ...),
 * profiles on unless a setting says otherwise, with the main bench's traffic and phases. On this
 * shared 2-core machine a phase's rate moves by 20% between runs of the same code, so a change is
 * only told apart when both sides run in the same run, one after the other, and medians are taken.
 * AB_A and AB_B are space-separated NAME=value environment settings for the collector (e.g.
 * `AB_B="VISTA_PROFILES=0"`); AB_A_ROOT and AB_B_ROOT run another checkout's collector instead
 * of this one, to compare code (`git worktree add /tmp/base <commit>`, then link this
 * checkout's node_modules into it and `npm run build` there); AB_ROUNDS (4), BENCH_SECONDS (10),
 * BENCH_CONNECTIONS (50).
 * DATABASE_URL, else PGlite; the scratch database is dropped at the end.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { RunningCollector } from './collector.ts';
import { countStored, createStore, createTenants, type BenchStore } from './database.ts';
import { generatePool, type Template } from './events.ts';
import { cycle } from './ingest.ts';
import { runCollector, type PhaseLoad } from './phases.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const rounds = Number(process.env.AB_ROUNDS ?? 4);
const seconds = Number(process.env.BENCH_SECONDS ?? 10);
const connections = Number(process.env.BENCH_CONNECTIONS ?? 50);
const settings = { A: process.env.AB_A ?? '', B: process.env.AB_B ?? '' };
const roots = { A: process.env.AB_A_ROOT || root, B: process.env.AB_B_ROOT || root };
const envOf = (setting: string): Record<string, string> => ({
  VISTA_PROFILES: '1',
  ...Object.fromEntries(setting.split(/\s+/).filter(Boolean).map((pair) => pair.split('=', 2) as [string, string])),
});
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

let store: BenchStore | undefined;
const holder: { current?: RunningCollector } = {};
try {
  const pool = generatePool(2000, 20, `ab${Date.now().toString(36)}`);
  const bodies = cycle(pool.batches.map((template: Template) => ({ path: '/v1/batch', template })));
  store = await createStore(process.env.DATABASE_URL || undefined);
  const names = Array.from({ length: rounds }, (_, r) => (['A', 'B'] as const).flatMap((side) => [`warm-${side}-${r}`, `${side}-${r}`])).flat();
  const tenants = await createTenants(store, names);
  const tenant = (name: string) => tenants.find((t) => t.phase === name)!;
  const loads = new Map<string, PhaseLoad>();
  const log = (line: string) => console.error(`[ab] ${line}`);
  for (let r = 0; r < rounds; r++) {
    // B first in odd rounds: neither side always follows the other.
    for (const side of r % 2 === 0 ? (['A', 'B'] as const) : (['B', 'A'] as const)) {
      const run = await runCollector({
        root: roots[side], store, seconds, connections, log, holder, env: envOf(settings[side]),
        warmup: { seconds: 2, phase: { name: `warm-${side}-${r}`, tenant: tenant(`warm-${side}-${r}`), next: bodies } },
        phases: [{ name: `${side}-${r}`, tenant: tenant(`${side}-${r}`), next: bodies }],
      });
      for (const [name, load] of run) loads.set(name, load);
    }
  }
  const counts = await countStored(store, tenants);
  const rows = (['A', 'B'] as const).map((side) => {
    const per = Array.from({ length: rounds }, (_, r) => {
      const load = loads.get(`${side}-${r}`)!;
      const events = counts.get(`${side}-${r}`)?.events ?? 0;
      return { rate: events / (load.seconds + load.settleSeconds), settle: load.settleSeconds, cpu: (load.machineCpuSeconds / Math.max(1, events)) * 1e6 };
    });
    return { side, setting: `${settings[side] || '(defaults)'}${roots[side] === root ? '' : ` in ${roots[side]}`}`, per };
  });
  for (const { side, setting, per } of rows) {
    console.log(`${side} ${setting}: events/s median ${median(per.map((p) => p.rate)).toFixed(0)} (rounds ${per.map((p) => p.rate.toFixed(0)).join(', ')}), settle s median ${median(per.map((p) => p.settle)).toFixed(2)}, CPU µs/event median ${median(per.map((p) => p.cpu)).toFixed(0)}`);
  }
  const [a, b] = rows;
  console.log(`B / A, events/s by round: ${a!.per.map((p, i) => `${((b!.per[i]!.rate / p.rate) * 100).toFixed(1)}%`).join(', ')}; of the medians ${((median(b!.per.map((p) => p.rate)) / median(a!.per.map((p) => p.rate))) * 100).toFixed(1)}%`);
} finally {
  await holder.current?.stop().catch(() => {});
  await store?.dispose().catch(() => {});
}
