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
  pipelinedTransaction?<T>(fn: (tx: Db, defer: Defer) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/**
 * Hands the transaction a statement it has sent whose answer only its commit needs. On Node's
 * PostgreSQL pool COMMIT then goes out right behind it, not a round trip later; elsewhere the
 * transaction waits for it before committing. Either way, if it fails, nothing is committed.
 */
export type Defer = (statement: Promise<unknown>) => void;

/** A transaction on the cheapest path the driver offers (pipelined BEGIN and COMMIT on Node's PostgreSQL pool). */
export function inTransaction<T>(database: Database, fn: (tx: Db, defer: Defer) => Promise<T>): Promise<T> {
  if (database.pipelinedTransaction) return database.pipelinedTransaction(fn);
  return database.db.transaction(async (tx) => {
    const deferred: Promise<unknown>[] = [];
    const value = await fn(tx, (statement) => {
      statement.catch(() => {});
      deferred.push(statement);
    });
    await Promise.all(deferred);
    return value;
  });
}

/** `db.execute()` answers an array on postgres.js and `{ rows }` on PGlite. */
export function rowsOf<T>(result: unknown): T[] {
  if (Array.isArray(result)) return result as T[];
  const rows = (result as { rows?: unknown }).rows;
  return Array.isArray(rows) ? (rows as T[]) : [];
}
