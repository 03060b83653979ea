// Tracker size: raw, gzip (zlib level 9, as gzip -9) and brotli (quality 11) bytes of the built
// packages/tracker/dist/v.js, beside other trackers measured the same way (NOTES.md, "Tracker
// size"), with the ratio to each. A benchmark, not a test: the budget test is
// packages/tracker/src/size.test.ts. Run with `tsx bench/tracker-size.ts`, or from bench/run.ts.
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { ensureBuilt, scriptPath } from '../packages/tracker/src/ensure-built';

export const BUDGET_GZIP = 3072;

/** Other trackers, minified: gzip -9 and brotli 11 bytes. */
export const REFERENCES = [
  { name: 'Plausible', gzip: 1332, brotli: 1149 },
  { name: 'Umami', gzip: 2239, brotli: 1963 },
  { name: 'Snowplow', gzip: 17402, brotli: 15642 },
  { name: 'Segment analytics.js', gzip: 31294, brotli: 27445 },
  { name: 'PostHog', gzip: 121980, brotli: 102457 },
];

export interface TrackerSize {
  raw: number;
  gzip: number;
  brotli: number;
  budgetGzip: number;
  /** Vista's size divided by each reference's (below 1: smaller). */
  ratios: { name: string; gzip: number; brotli: number }[];
}

export function measureTrackerSize(): TrackerSize {
  ensureBuilt();
  const script = readFileSync(scriptPath);
  const gzip = gzipSync(script, { level: 9 }).length;
  const brotli = brotliCompressSync(script, {
    params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: script.length },
  }).length;
  const round = (n: number): number => Math.round(n * 1000) / 1000;
  return {
    raw: script.length,
    gzip,
    brotli,
    budgetGzip: BUDGET_GZIP,
    ratios: REFERENCES.map((r) => ({ name: r.name, gzip: round(gzip / r.gzip), brotli: round(brotli / r.brotli) })),
  };
}

export function formatTrackerSize(s: TrackerSize): string {
  const pad = (v: string | number, n: number): string => String(v).padStart(n);
  const rows = [
    `Vista dist/v.js: ${s.raw} bytes raw, ${s.gzip} gzip (budget ${s.budgetGzip}), ${s.brotli} brotli`,
    `${'tracker'.padEnd(22)}${pad('gzip', 8)}${pad('brotli', 8)}${pad('vista/gzip', 12)}${pad('vista/br', 10)}`,
    `${'Vista'.padEnd(22)}${pad(s.gzip, 8)}${pad(s.brotli, 8)}${pad('1', 12)}${pad('1', 10)}`,
  ];
  for (const r of REFERENCES) {
    const ratio = s.ratios.find((x) => x.name == r.name)!;
    rows.push(`${r.name.padEnd(22)}${pad(r.gzip, 8)}${pad(r.brotli, 8)}${pad(ratio.gzip, 12)}${pad(ratio.brotli, 10)}`);
  }
  return rows.join('\n');
}

if (process.argv[1] && import.meta.url == pathToFileURL(process.argv[1]).href) console.log(formatTrackerSize(measureTrackerSize()));
