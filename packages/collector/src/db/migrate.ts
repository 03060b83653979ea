import { fileURLToPath } from 'node:url';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import { migrate as migratePostgres } from 'drizzle-orm/postgres-js/migrator';
import type { PgliteDatabase } from 'drizzle-orm/pglite';
import type { PostgresJsDatabase } from 'drizzle-orm/postgres-js';
import type { Database } from './database.ts';
import type { Schema } from './schema.ts';

export const migrationsFolder = fileURLToPath(new URL('../../../../migrations', import.meta.url));

/** Applies pending migrations (Node only: it reads the folder); a second run is a no-op. */
export async function migrate(database: Database, folder = migrationsFolder): Promise<void> {
  const config = { migrationsFolder: folder };
  if (database.kind === 'pglite') {
    await migratePglite(database.db as unknown as PgliteDatabase<Schema>, config);
  } else {
    await migratePostgres(database.db as unknown as PostgresJsDatabase<Schema>, config);
  }
}
