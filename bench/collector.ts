import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

export interface RunningCollector {
  port: number;
  pid: number;
  /** Highest VmRSS seen since the last call, in MB; resets so each phase gets its own peak. */
  takePeakRssMb(): number;
  /** CPU seconds (user + system) the collector has used so far; differences give phase load. */
  cpuSeconds(): number;
  stop(): Promise<void>;
}

export interface CollectorOptions {
  root: string;
  databaseUrl?: string;
  dataDir: string;
  /** Folder for a V8 CPU profile of the collector (`--cpu-prof`), when asked for. */
  cpuProfDir?: string;
  /** Extra environment for the collector, e.g. `VISTA_PROFILES: '0'` (events only). */
  env?: Record<string, string>;
}

function rssMb(pid: number): number {
  try {
    const match = /VmRSS:\s+(\d+)\s+kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) / 1024 : 0;
  } catch {
    return 0; // The process is gone; the peak already holds what it reached.
  }
}

/** utime + stime from /proc/<pid>/stat, in seconds (USER_HZ is 100 a second on Linux); 0 where it cannot be read. */
export function cpuSeconds(pid: number): number {
  try {
    // Fields after the parenthesised command name; utime and stime are fields 14 and 15.
    const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return 0;
  }
}

/**
 * Starts the collector as its own process so its memory is measured apart from the load
 * generator. `node --import tsx` (not the tsx CLI) keeps it one process: the tsx CLI would run
 * the server as a grandchild and /proc/<pid> would show the wrapper's RSS instead.
 */
export async function startCollector(options: CollectorOptions): Promise<RunningCollector> {
  const entry = path.join(options.root, 'packages/collector/src/runtime/node.ts');
  const profile = options.cpuProfDir ? ['--cpu-prof', `--cpu-prof-dir=${options.cpuProfDir}`] : [];
  const env: NodeJS.ProcessEnv = { ...process.env, PORT: '0', HOST: '127.0.0.1', VISTA_DEMO: '0', VISTA_DATA_DIR: options.dataDir, ...options.env };
  if (options.databaseUrl) env.DATABASE_URL = options.databaseUrl;
  else delete env.DATABASE_URL;
  const child = spawn(process.execPath, [...profile, '--import', 'tsx', entry], { cwd: options.root, env, stdio: ['ignore', 'pipe', 'pipe'] });
  const pid = child.pid;
  if (pid === undefined) throw new Error('the collector did not start');

  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4000); // Kept to explain a failed start.
  });
  const port = await new Promise<number>((resolve, reject) => {
    let stdout = '';
    const timer = setTimeout(() => fail(new Error('the collector did not report its port within 30 s')), 30_000);
    const onExit = (code: number | null) => fail(new Error(`the collector exited with code ${code} before listening`));
    function fail(error: Error) {
      clearTimeout(timer);
      child.kill('SIGKILL');
      reject(new Error(`${error.message}\n${stderr}`));
    }
    child.stdout?.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      const match = /Vista collector on .*\(port (\d+)\)/.exec(stdout);
      if (match) {
        clearTimeout(timer);
        child.off('exit', onExit);
        stdout = '';
        resolve(Number(match[1]));
      }
    });
    child.once('exit', onExit);
  });

  let peak = rssMb(pid);
  const sampler = setInterval(() => {
    peak = Math.max(peak, rssMb(pid));
  }, 200);

  return {
    port,
    pid,
    takePeakRssMb() {
      const value = Math.max(peak, rssMb(pid));
      peak = 0;
      return value;
    },
    cpuSeconds: () => cpuSeconds(pid),
    stop: () => stopChild(child, sampler),
  };
}

/** SIGTERM lets it close the pool (and write a CPU profile); SIGKILL if it hangs. */
async function stopChild(child: ChildProcess, sampler: NodeJS.Timeout): Promise<void> {
  clearInterval(sampler);
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
  await exited;
  clearTimeout(timer);
}
