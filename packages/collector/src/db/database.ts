import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import type { Schema } from './schema.ts';

/** The drizzle handle every query module takes; PGlite and postgres.js both satisfy it. */
export type Db = PgDatabase<PgQueryResultHKT, Schema>;

export interface Database {
  db: Db;
  kind: 'pglite' | 'postgres';
  /** How many write statements may run at once: PGlite serves one connection. */
  writeConcurrency: number;
  /**
   * A transaction that spares the round trip of BEGIN (postgres.js); ingest's groups use it where
   * the driver has one, else `db.transaction`.
   */
  pipelinedTransaction?<T>(fn: (tx: Db) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/** A transaction on the cheapest path the driver offers (pipelined BEGIN on Node's PostgreSQL pool). */
export function inTransaction<T>(database: Database, fn: (tx: Db) => Promise<T>): Promise<T> {
  if (database.pipelinedTransaction) return database.pipelinedTransaction(fn);
  return database.db.transaction(fn);
}

/** `db.execute()` answers an array on postgres.js and `{ rows }` on PGlite. */
export function rowsOf<T>(result: unknown): T[] {
  if (Array.isArray(result)) return result as T[];
  const rows = (result as { rows?: unknown }).rows;
  return Array.isArray(rows) ? (rows as T[]) : [];
}
