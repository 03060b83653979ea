import path from 'node:path';

/** Everything the Node runtime reads from the environment, in one place (see README). */
export interface NodeConfig {
  port: number;
  host: string;
  databaseUrl: string | undefined;
  dataDir: string;
  demo: boolean;
  publicUrl: string;
  /** Trust CF-Connecting-IP / X-Forwarded-For / country headers (only behind such a proxy). */
  trustProxyHeaders: boolean;
  /**
   * Maintain identities and profiles while ingesting (default). `VISTA_PROFILES=0` stores events
   * only; `identities` maintains identities but no profiles (what the benchmark compares with).
   */
  profiles: boolean | 'identities';
  /** Collector processes sharing the port (PostgreSQL only). */
  processes: number;
  /** Where the tracker script is served. */
  scriptPath: string;
  /** An extra path taking batches (ad-blockers block /v1/batch on some sites). */
  ingestPath: string | undefined;
}

function pathSetting(value: string | undefined, fallback: string, name: string): string {
  const path = value ?? fallback;
  if (!/^\/[\w./-]*$/.test(path) || path.startsWith('/v1/')) throw new Error(`${name} must be a path such as /v.js outside /v1/, not ${path}`);
  return path;
}

function profilesSetting(value: string | undefined): boolean | 'identities' {
  if (value === undefined || value === '' || value === '1' || value === 'true') return true;
  if (value === '0' || value === 'false') return false;
  if (value === 'identities') return 'identities';
  throw new Error(`VISTA_PROFILES must be 1, 0 or identities, not ${value}`);
}

export function readConfig(env: NodeJS.ProcessEnv = process.env): NodeConfig {
  const port = Number(env.PORT ?? 8787);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`PORT must be a port number, not ${env.PORT}`);
  const host = env.HOST ?? '0.0.0.0';
  return {
    port,
    host,
    databaseUrl: env.DATABASE_URL || undefined,
    dataDir: path.resolve(env.VISTA_DATA_DIR ?? '.vista'),
    demo: env.VISTA_DEMO !== '0' && env.VISTA_DEMO !== 'false',
    publicUrl: (env.VISTA_PUBLIC_URL ?? `http://localhost:${port}`).replace(/\/$/, ''),
    trustProxyHeaders: env.VISTA_TRUST_PROXY_HEADERS === '1' || env.VISTA_TRUST_PROXY_HEADERS === 'true',
    profiles: profilesSetting(env.VISTA_PROFILES),
    processes: Math.max(1, Number(env.VISTA_PROCESSES ?? 1) || 1),
    scriptPath: pathSetting(env.VISTA_SCRIPT_PATH, '/v.js', 'VISTA_SCRIPT_PATH'),
    ingestPath: env.VISTA_INGEST_PATH ? pathSetting(env.VISTA_INGEST_PATH, '', 'VISTA_INGEST_PATH') : undefined,
  };
}
