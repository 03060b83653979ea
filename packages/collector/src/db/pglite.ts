import { PGlite } from '@electric-sql/pglite';
import { drizzle } from 'drizzle-orm/pglite';
import type { Database } from './database.ts';
import { schema } from './schema.ts';

/** Embedded PostgreSQL: a data folder, or memory when `dataDir` is omitted. */
export async function openPglite(dataDir?: string): Promise<Database> {
  const client = dataDir ? new PGlite(dataDir) : new PGlite();
  await client.waitReady;
  return {
    db: drizzle({ client, schema }),
    kind: 'pglite',
    writeConcurrency: 1,
    close: () => client.close(),
  };
}
