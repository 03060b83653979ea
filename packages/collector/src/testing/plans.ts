import { sql, type SQL } from 'drizzle-orm';
import { rowsOf, type Db } from '../db/database.ts';

type PlanNode = {
  'Node Type': string;
  'Relation Name'?: string;
  'Actual Rows': number;
  'Actual Loops': number;
  'Rows Removed by Filter'?: number;
  'Rows Removed by Join Filter'?: number;
  'Rows Removed by Index Recheck'?: number;
  Plans?: PlanNode[];
};

/**
 * Runs the statement under EXPLAIN ANALYZE (PostgreSQL) and lists every plan node that read or
 * discarded more than `limit` rows: a statement meant to look its values up by index lists none,
 * however big the workspace around them.
 */
export async function nodesReadingMoreThan(db: Db, limit: number, statement: SQL): Promise<string[]> {
  const result = rowsOf<{ 'QUERY PLAN': unknown }>(await db.execute(sql`explain (analyze, format json) ${statement}`));
  const plan = result[0]!['QUERY PLAN'];
  const root = (typeof plan === 'string' ? JSON.parse(plan) : plan) as Array<{ Plan: PlanNode }>;
  const over: string[] = [];
  const visit = (node: PlanNode) => {
    const removed = (node['Rows Removed by Filter'] ?? 0) + (node['Rows Removed by Join Filter'] ?? 0) + (node['Rows Removed by Index Recheck'] ?? 0);
    const touched = node['Actual Rows'] * node['Actual Loops'] + removed;
    if (touched > limit) over.push(`${node['Node Type']} ${node['Relation Name'] ?? ''}: ${touched} rows`);
    node.Plans?.forEach(visit);
  };
  visit(root[0]!.Plan);
  return over;
}
