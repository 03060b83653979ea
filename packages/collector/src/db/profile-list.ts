import { and, eq, gt, gte, lt, lte, or, sql, type SQL } from 'drizzle-orm';
import type { Db } from './database.ts';
import { profiles } from './schema.ts';

export type LifecycleStage = 'visitor' | 'lead' | 'new_customer' | 'repeat_customer' | 'at_risk' | 'lapsed';

/** The same rules as profiles/lifecycle.ts, as of the database's now(), so lists can filter on it. */
export function lifecycleSql(lapseDays: number): SQL<LifecycleStage> {
  return sql<LifecycleStage>`case
    when ${profiles.lastSeen} < now() - make_interval(days => ${lapseDays}) then 'lapsed'
    when not ${profiles.known} then 'visitor'
    when ${profiles.orders} = 0 then 'lead'
    when ${profiles.orders} = 1 then 'new_customer'
    when ${profiles.lastOrderAt} is not null and ${profiles.averageDaysBetweenOrders} is not null
      and extract(epoch from now() - ${profiles.lastOrderAt}) / 86400 > 2 * ${profiles.averageDaysBetweenOrders} then 'at_risk'
    else 'repeat_customer' end`;
}

export interface ProfileFilter {
  workspaceId: string;
  lapseDays: number;
  lifecycle?: LifecycleStage;
  traits?: Record<string, string>;
  lastSeenFrom?: Date;
  lastSeenTo?: Date;
  hasPurchased?: boolean;
  channel?: string;
  source?: string;
  q?: string;
  sort: 'lastSeen' | 'value';
  limit: number;
  /** Position after which the page starts: the sort value and id of the last row seen. */
  after?: { value: string | number | null; id: string };
}

function conditionsOf(f: ProfileFilter): SQL[] {
  const c: SQL[] = [eq(profiles.workspaceId, f.workspaceId)];
  if (f.lifecycle) c.push(sql`${lifecycleSql(f.lapseDays)} = ${f.lifecycle}`);
  for (const [key, value] of Object.entries(f.traits ?? {})) c.push(sql`${profiles.traits} ->> ${key} = ${value}`);
  if (f.lastSeenFrom) c.push(gte(profiles.lastSeen, f.lastSeenFrom));
  if (f.lastSeenTo) c.push(lte(profiles.lastSeen, f.lastSeenTo));
  if (f.hasPurchased !== undefined) c.push(f.hasPurchased ? gt(profiles.orders, 0) : eq(profiles.orders, 0));
  if (f.channel) c.push(sql`${f.channel} = any(${profiles.channels})`);
  if (f.source) c.push(sql`${f.source} = any(${profiles.sources})`);
  if (f.q) {
    const pattern = `%${f.q.replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`;
    c.push(sql`exists (select 1 from identities i where i.workspace_id = ${profiles.workspaceId} and i.profile_id = ${profiles.id} and i.value ilike ${pattern})`);
  }
  return c;
}

/** Keyset pagination on (sort value desc, id): stable while profiles change. Nulls sort last. */
function afterOf(f: ProfileFilter): SQL | undefined {
  if (!f.after) return undefined;
  const column = f.sort === 'value' ? profiles.revenue : profiles.lastSeen;
  const { value, id } = f.after;
  if (value === null) return and(sql`${column} is null`, gt(profiles.id, id));
  const v = f.sort === 'value' ? Number(value) : new Date(String(value));
  return or(lt(column, v), and(eq(column, v), gt(profiles.id, id)), sql`${column} is null`);
}

export async function listProfiles(db: Db, f: ProfileFilter) {
  const column = f.sort === 'value' ? profiles.revenue : profiles.lastSeen;
  const after = afterOf(f);
  const rows = await db
    .select({ profile: profiles, lifecycle: lifecycleSql(f.lapseDays) })
    .from(profiles)
    .where(and(...conditionsOf(f), ...(after ? [after] : [])))
    .orderBy(sql`${column} desc nulls last`, profiles.id)
    .limit(f.limit + 1);
  const more = rows.length > f.limit;
  const page = more ? rows.slice(0, f.limit) : rows;
  const last = page[page.length - 1]?.profile;
  const next = more && last ? { value: f.sort === 'value' ? last.revenue : (last.lastSeen?.toISOString() ?? null), id: last.id } : null;
  return { rows: page, next };
}

