import { sql } from 'drizzle-orm';
import { textArray } from '../packages/collector/src/db/bulk.ts';
import { rowsOf, type Db } from '../packages/collector/src/db/database.ts';

export interface LatencySummary {
  requests: number;
  failed: number;
  meanMs: number;
  p50Ms: number;
  p95Ms: number;
  p99Ms: number;
  maxMs: number;
  /** One failed answer, to say why. */
  sampleError?: string;
}

const round = (ms: number) => Math.round(ms * 100) / 100;

export function summarize(ms: readonly number[], failed = 0, sampleError?: string): LatencySummary {
  const sorted = [...ms].sort((a, b) => a - b);
  const at = (p: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))] ?? 0;
  const mean = sorted.reduce((sum, v) => sum + v, 0) / Math.max(1, sorted.length);
  return { requests: sorted.length, failed, meanMs: round(mean), p50Ms: round(at(0.5)), p95Ms: round(at(0.95)), p99Ms: round(at(0.99)), maxMs: round(at(1)), sampleError };
}

/**
 * GETs each path in turn, one at a time over one keep-alive connection, timing the whole
 * answer (headers and body): the latency a dashboard calling the API would see.
 */
export async function timeGets(port: number, secretKey: string, paths: readonly string[]): Promise<{ ms: number[]; summary: LatencySummary }> {
  const ms: number[] = [];
  let failed = 0;
  let sampleError: string | undefined;
  const headers = { authorization: `Bearer ${secretKey}` };
  for (const path of paths) {
    const started = performance.now();
    const response = await fetch(`http://127.0.0.1:${port}${path}`, { headers });
    const body = await response.text();
    ms.push(performance.now() - started);
    if (response.status !== 200) {
      failed++;
      sampleError ??= `${path}: ${response.status} ${body.slice(0, 200)}`;
    }
  }
  return { ms, summary: summarize(ms, failed, sampleError) };
}

export interface Sample {
  /** Random existing profiles. */
  random: string[];
  /** The profiles with the most events, asked for explicitly. */
  heaviest: Array<{ id: string; events: number }>;
  /** userIds of random identified profiles (and of the heaviest that have one). */
  userIds: string[];
  /** Profiles for the late events, with the identifier that owns their events (userId, else anonymousId). */
  late: Array<{ id: string; value: string; asUser: boolean }>;
  /** Profiles for the unreported warm-up requests. */
  warm: string[];
  counts: { events: number; profiles: number; identities: number; buyers: number; identified: number };
}

/** Picks what to read straight from the tables (with PGlite, only while the collector is down). */
export async function sampleProfiles(db: Db, workspaceId: string, size: number): Promise<Sample> {
  const q = async <T>(query: ReturnType<typeof sql>) => rowsOf<T>(await db.execute(query));
  const ids = async (limit: number) =>
    (await q<{ id: string }>(sql`select id from profiles where workspace_id = ${workspaceId} order by random() limit ${limit}`)).map((r) => r.id);
  const heaviest = (await q<{ id: string; events: number }>(sql`
    select id, events from profiles where workspace_id = ${workspaceId} order by events desc limit 10`)).map((r) => ({ id: r.id, events: Number(r.events) }));
  const heavyIds = heaviest.map((h) => h.id);
  const userRows = await q<{ value: string }>(sql`
    (select value from identities where workspace_id = ${workspaceId} and as_user and known and profile_id = any(${textArray(heavyIds)}))
    union all
    (select value from identities where workspace_id = ${workspaceId} and as_user and known order by random() limit ${size})`);
  const lateIds = await ids(100);
  const members = await q<{ profile_id: string; value: string; as_user: boolean; as_anonymous: boolean }>(sql`
    select profile_id, value, as_user, as_anonymous from identities
    where workspace_id = ${workspaceId} and profile_id = any(${textArray(lateIds)}) and (as_user or as_anonymous)
    order by profile_id, as_user desc, first_at`);
  const late = new Map<string, { id: string; value: string; asUser: boolean }>();
  for (const m of members) if (!late.has(m.profile_id)) late.set(m.profile_id, { id: m.profile_id, value: m.value, asUser: m.as_user });
  const [counts] = await q<Record<keyof Sample['counts'], string>>(sql`select
    (select count(*) from events where workspace_id = ${workspaceId}) as events,
    (select count(*) from profiles where workspace_id = ${workspaceId}) as profiles,
    (select count(*) from identities where workspace_id = ${workspaceId}) as identities,
    (select count(*) from profiles where workspace_id = ${workspaceId} and orders > 0) as buyers,
    (select count(*) from profiles where workspace_id = ${workspaceId} and known) as identified`);
  return {
    random: [...(await ids(size)), ...heavyIds],
    heaviest,
    userIds: userRows.map((r) => r.value),
    late: [...late.values()],
    warm: await ids(200),
    counts: Object.fromEntries(Object.entries(counts ?? {}).map(([k, v]) => [k, Number(v)])) as Sample['counts'],
  };
}
