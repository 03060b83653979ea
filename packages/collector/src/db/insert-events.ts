import { getTableColumns, sql } from 'drizzle-orm';
import { rowsOf, type Db } from './database.ts';
import { events, type EventRow } from './schema.ts';

const columns = Object.entries(getTableColumns(events)).filter(([key]) => key !== 'seq');
const columnList = sql.raw(columns.map(([, c]) => `"${c.name}"`).join(', '));
/**
 * Each row travels as a JSON array in column order: without 40 repeated key names the payload is
 * about half the size, which both Node's serialiser and PostgreSQL's parser feel.
 */
const selectList = sql.raw(
  columns
    .map(([, c], i) => {
      const type = c.getSQLType();
      // A JSON null inside jsonb stays jsonb 'null'; the column wants SQL NULL.
      return type === 'jsonb' ? `nullif(r->${i}, 'null'::jsonb) as "${c.name}"` : `(r->>${i})::${type} as "${c.name}"`;
    })
    .join(', '),
);

/** Absent values would arrive as NULL, so plain column defaults are applied here. */
const defaults = columns.map(([, c]) => (typeof c.default === 'object' ? null : (c.default ?? null)));

function toTuple(row: EventRow): unknown[] {
  return columns.map(([key], i) => row[key as keyof EventRow] ?? defaults[i]);
}

/**
 * Inserts many events in one statement with one parameter, whatever the row count: the rows
 * travel as one jsonb array. Rows are written in key order, so concurrent batches with the same
 * messageIds (retries) queue instead of deadlocking, while `seq` is drawn in arrival order (in
 * the subquery, before the sort) so the events listing shows a batch as it was sent. Returns the
 * keys inserted, with the `seq` each drew (profile_groups keeps a group's range); the others were already stored.
 */
export async function insertEvents(db: Db, rows: EventRow[]): Promise<Map<string, number>> {
  if (rows.length === 0) return new Map();
  const payload = JSON.stringify(rows.map(toTuple));
  const result = await db.execute(sql`
    insert into ${events} ("seq", ${columnList}) overriding system value
    select s.* from (
      select nextval('events_seq_seq') as "seq", ${selectList}
      from jsonb_array_elements(${payload}::jsonb) as r
    ) s
    order by s.workspace_id, s.message_id
    on conflict (workspace_id, message_id) do nothing
    returning workspace_id, message_id, seq`);
  const inserted = new Map<string, number>();
  for (const r of rowsOf<{ workspace_id: string; message_id: string; seq: string | number }>(result)) {
    inserted.set(eventKey(r.workspace_id, r.message_id), Number(r.seq));
  }
  return inserted;
}

export function eventKey(workspaceId: string, messageId: string): string {
  return `${workspaceId}\u0000${messageId}`;
}
