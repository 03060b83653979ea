import postgres from 'postgres';
import { afterAll, beforeAll } from 'vitest';
import type { Database } from '../db/database.ts';
import { migrate } from '../db/migrate.ts';
import { openPglite } from '../db/pglite.ts';
import { openPostgres } from '../db/postgres.ts';
import { randomToken } from '../tenancy/keys.ts';

export interface TestDatabase extends Database {
  /** Closes the handle and removes everything the test created. */
  dispose(): Promise<void>;
}

export interface TestDriver {
  name: 'pglite' | 'postgres';
  open(): Promise<TestDatabase>;
  /** An empty database, not migrated: for upgrade tests. */
  openEmpty(): Promise<TestDatabase>;
}

/** A fresh migrated database of its own on the real server, dropped by `dispose`. */
async function openScratchPostgres(serverUrl: string, options: { max?: number; migrate?: boolean } = {}): Promise<TestDatabase & { url: string }> {
  const name = `vista_test_${randomToken(10).toLowerCase()}`;
  const admin = postgres(serverUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database ${name}`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  const database = openPostgres(url.toString(), { max: options.max ?? 5 }, { longLived: true });
  if (options.migrate !== false) await migrate(database);
  return {
    ...database,
    url: url.toString(),
    async dispose() {
      await database.close();
      await admin.unsafe(`drop database if exists ${name} with (force)`);
      await admin.end();
    },
  };
}

export const scratchPostgres = openScratchPostgres;

/**
 * PGlite always; the real PostgreSQL server too when DATABASE_URL is set (CI sets it), so one
 * suite proves both drivers.
 */
export function testDrivers(): TestDriver[] {
  const drivers: TestDriver[] = [
    {
      name: 'pglite',
      async open() {
        const database = await openPglite();
        await migrate(database);
        return { ...database, dispose: () => database.close() };
      },
      async openEmpty() {
        const database = await openPglite();
        return { ...database, dispose: () => database.close() };
      },
    },
  ];
  const serverUrl = process.env.DATABASE_URL;
  if (serverUrl) {
    drivers.push({ name: 'postgres', open: () => openScratchPostgres(serverUrl), openEmpty: () => openScratchPostgres(serverUrl, { migrate: false }) });
  }
  return drivers;
}

/** A fresh database of `driver` for the enclosing suite, disposed after it. */
export function withDatabase(driver: TestDriver, ready: (database: TestDatabase) => void): void {
  let database: TestDatabase | undefined;
  beforeAll(async () => {
    database = await driver.open();
    ready(database);
  });
  afterAll(() => database?.dispose());
}
