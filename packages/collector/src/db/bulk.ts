import { sql, type SQL } from 'drizzle-orm';

/**
 * Many rows as ONE parameter: a jsonb array that PostgreSQL unpacks with jsonb_to_recordset.
 * One parse per statement whatever the row count, and no 65,535-parameter ceiling.
 */
export function recordset(rows: readonly object[], columns: Record<string, string>): SQL {
  const definition = sql.raw(Object.entries(columns).map(([name, type]) => `"${name}" ${type}`).join(', '));
  return sql`jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) as r(${definition})`;
}

/** A text[] parameter that both drivers send the same way (as a JSON array, unpacked in SQL). */
export function textArray(values: readonly string[]): SQL {
  return sql`array(select jsonb_array_elements_text(${JSON.stringify(values)}::jsonb))`;
}
