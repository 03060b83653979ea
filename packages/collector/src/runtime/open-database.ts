import fs from 'node:fs';
import path from 'node:path';
import type { Database } from '../db/database.ts';
import { migrate } from '../db/migrate.ts';
import { withNoDelay } from '../db/node-socket.ts';
import { openPglite } from '../db/pglite.ts';
import { openPostgres } from '../db/postgres.ts';

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * PGlite does not lock its folder and two processes in one folder corrupt it; this lock file
 * turns that into a clear error. A lock left by a dead process is taken over.
 */
function lockDataDir(dataDir: string): () => void {
  fs.mkdirSync(dataDir, { recursive: true });
  const lock = path.join(dataDir, 'lock');
  try {
    const holder = Number(fs.readFileSync(lock, 'utf8'));
    if (holder && holder !== process.pid && processAlive(holder)) {
      throw new Error(`${dataDir} is in use by process ${holder}; stop it first (PGlite allows one process per folder)`);
    }
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  fs.writeFileSync(lock, String(process.pid));
  return () => fs.rmSync(lock, { force: true });
}

/** PostgreSQL when a URL is given, else PGlite in `dataDir`; migrated either way. */
export async function openNodeDatabase(options: { databaseUrl?: string; dataDir: string; max?: number }): Promise<Database> {
  if (options.databaseUrl) {
    const database = openPostgres(options.databaseUrl, withNoDelay({ max: options.max ?? 10 }), { longLived: true });
    await migrate(database);
    return database;
  }
  const unlock = lockDataDir(options.dataDir);
  try {
    const database = await openPglite(path.join(options.dataDir, 'pglite'));
    await migrate(database);
    return {
      ...database,
      close: async () => {
        await database.close();
        unlock();
      },
    };
  } catch (error) {
    unlock();
    throw error;
  }
}
