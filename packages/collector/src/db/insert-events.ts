import { getTableColumns, sql } from 'drizzle-orm';
import { rowsOf, type Db } from './database.ts';
import { events, type EventRow } from './schema.ts';

const columns = Object.entries(getTableColumns(events)).filter(([key]) => key !== 'seq');
const columnList = sql.raw(columns.map(([, c]) => `"${c.name}"`).join(', '));
const recordType = sql.raw(columns.map(([, c]) => `"${c.name}" ${c.getSQLType()}`).join(', '));

/** jsonb_to_recordset yields NULL for absent keys, so plain column defaults are applied here. */
const defaults = new Map(columns.map(([key, c]) => [key, typeof c.default === 'object' ? null : (c.default ?? null)]));

/** The row as jsonb_to_recordset expects it: keyed by column name. */
function toRecord(row: EventRow): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, column] of columns) out[column.name] = row[key as keyof EventRow] ?? defaults.get(key);
  return out;
}

/**
 * Inserts many events in one statement with one parameter, whatever the row count: the rows
 * travel as one jsonb array. Rows are written in key order, so concurrent batches with the same
 * messageIds (retries) queue instead of deadlocking, while `seq` is drawn in arrival order (in
 * the subquery, before the sort) so the events listing shows a batch as it was sent. Returns the
 * keys inserted; the others were already stored.
 */
export async function insertEvents(db: Db, rows: EventRow[]): Promise<Set<string>> {
  if (rows.length === 0) return new Set();
  const payload = JSON.stringify(rows.map(toRecord));
  const result = await db.execute(sql`
    insert into ${events} ("seq", ${columnList}) overriding system value
    select s.* from (
      select nextval('events_seq_seq') as "seq", ${columnList}
      from jsonb_to_recordset(${payload}::jsonb) as r(${recordType})
    ) s
    order by s.workspace_id, s.message_id
    on conflict (workspace_id, message_id) do nothing
    returning workspace_id, message_id`);
  const inserted = new Set<string>();
  for (const r of rowsOf<{ workspace_id: string; message_id: string }>(result)) {
    inserted.add(eventKey(r.workspace_id, r.message_id));
  }
  return inserted;
}

export function eventKey(workspaceId: string, messageId: string): string {
  return `${workspaceId}\u0000${messageId}`;
}
