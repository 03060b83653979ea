/** The four cut points per dimension among a workspace's customers (db/rfm.ts), recency in epoch ms. */
export interface RfmBoundaries {
  total: number;
  recency: number[];
  frequency: number[];
  monetary: number[];
}

export interface RfmSubject {
  orders: number;
  revenue: number;
  lastOrderAt: Date | null;
}

/** 1 + how many cut points the value reaches: equals ceil(5 × (customers at or below it) / customers). */
const score = (value: number, cuts: readonly number[]) => 1 + cuts.filter((cut) => value >= cut).length;

/** RFM scores 1-5 as quintiles among the workspace's customers; null for someone who never ordered. */
export function rfmScores(p: RfmSubject, b: RfmBoundaries) {
  if (p.orders === 0 || p.lastOrderAt === null || b.total === 0) return null;
  const r = score(p.lastOrderAt.getTime(), b.recency);
  const f = score(p.orders, b.frequency);
  const m = score(p.revenue, b.monetary);
  return { recency: r, frequency: f, monetary: m, score: `${r}${f}${m}` };
}
