import { sql } from 'drizzle-orm';
import type { RfmBoundaries } from '../profiles/rfm.ts';
import { rowsOf, type Db } from './database.ts';

/**
 * Per RFM dimension, the customers' values at positions floor(kN/5)+1 (k = 1..4) of the sorted
 * list: the four cut points that turn "how many are at or below me" into a quintile. One scan
 * of the workspace's customers, however many profiles are read afterwards.
 */
export async function rfmBoundaries(db: Db, workspaceId: string): Promise<RfmBoundaries> {
  // percentile_disc(f) takes the ceil(f·N)-th value; f = (floor(kN/5) + 0.5)/N lands on the wanted position whatever the rounding.
  const result = await db.execute(sql`
    with c as (select last_order_at, orders, revenue from profiles where workspace_id = ${workspaceId} and orders > 0),
    n as (select count(*)::int as n from c),
    f as (select array_agg((floor(k * n.n / 5.0) + 0.5) / n.n order by k)::float8[] as fr from n, generate_series(1, 4) k where n.n > 0)
    select n.n as total,
      (select percentile_disc(f.fr) within group (order by extract(epoch from last_order_at) * 1000) from c)::float8[] as recency,
      (select percentile_disc(f.fr) within group (order by orders) from c)::float8[] as frequency,
      (select percentile_disc(f.fr) within group (order by revenue) from c)::float8[] as monetary
    from n left join f on true`);
  const [row] = rowsOf<{ total: number; recency: unknown; frequency: unknown; monetary: unknown }>(result);
  const numbers = (v: unknown): number[] => (Array.isArray(v) ? v.map(Number) : []);
  return { total: Number(row?.total ?? 0), recency: numbers(row?.recency), frequency: numbers(row?.frequency), monetary: numbers(row?.monetary) };
}

