import postgres from 'postgres';
import { drizzle } from 'drizzle-orm/postgres-js';
import type { Database } from './database.ts';
import { schema } from './schema.ts';

export type PostgresOptions = postgres.Options<Record<string, postgres.PostgresType>>;

/**
 * PostgreSQL through postgres.js. On Workers call this per request (a client kept at module
 * scope fails on the next request); on Node create one pool at start.
 */
export function openPostgres(url: string, options: PostgresOptions = {}): Database {
  const client = postgres(url, { onnotice: () => {}, ...options });
  const max = typeof options.max === 'number' ? options.max : 10;
  return {
    db: drizzle({ client, schema }),
    kind: 'postgres',
    writeConcurrency: Math.max(1, Math.min(4, max - 1)),
    close: () => client.end({ timeout: 5 }),
  };
}
