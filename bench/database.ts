import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { eq } from 'drizzle-orm';
import postgres from 'postgres';
import type { Database } from '../packages/collector/src/db/database.ts';
import { events, profiles } from '../packages/collector/src/db/schema.ts';
import { openNodeDatabase } from '../packages/collector/src/runtime/open-database.ts';
import { randomToken } from '../packages/collector/src/tenancy/keys.ts';
import { addSource, createWorkspace } from '../packages/collector/src/tenancy/tenancy.ts';

/** Where one run stores: a scratch database on the server, or a temp PGlite folder. */
export interface BenchStore {
  driver: 'postgres' | 'pglite';
  /** The scratch database's URL (PostgreSQL only); what the collector gets as DATABASE_URL. */
  url?: string;
  /** The collector's VISTA_DATA_DIR: the PGlite folder, or an empty temp folder. */
  dataDir: string;
  /** Opens the store from the bench process. With PGlite, only while the collector is down. */
  open(): Promise<Database>;
  /** Drops the scratch database and removes the temp folder. Safe to call twice. */
  dispose(): Promise<void>;
  /** BENCH_KEEP=1: removes only what is not data (the temp folder with PostgreSQL) and keeps the database. */
  keep(): Promise<void>;
}

export async function createStore(serverUrl: string | undefined): Promise<BenchStore> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'vista-bench-'));
  const removeDir = () => fs.rmSync(dataDir, { recursive: true, force: true });
  if (!serverUrl) {
    return { driver: 'pglite', dataDir, open: () => openNodeDatabase({ dataDir }), dispose: async () => removeDir(), keep: async () => {} };
  }
  // Lower case: unquoted identifiers fold to it, and the name must match when dropped.
  const name = `vista_bench_${randomToken(10).toLowerCase()}`;
  const admin = postgres(serverUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database ${name}`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  let disposed = false;
  return {
    driver: 'postgres',
    url: url.toString(),
    dataDir,
    open: () => openNodeDatabase({ databaseUrl: url.toString(), dataDir, max: 4 }),
    async dispose() {
      if (disposed) return;
      disposed = true;
      removeDir();
      // `with (force)` ends sessions a crashed collector may have left open.
      await admin.unsafe(`drop database if exists ${name} with (force)`);
      await admin.end();
    },
    async keep() {
      disposed = true;
      removeDir();
      await admin.end();
    },
  };
}

/** A database someone else made (SEED_DATABASE_URL): used as it is, never dropped. */
export function existingStore(url: string): BenchStore {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'vista-bench-'));
  const removeDir = async () => fs.rmSync(dataDir, { recursive: true, force: true });
  return { driver: 'postgres', url, dataDir, open: () => openNodeDatabase({ databaseUrl: url, dataDir, max: 4 }), dispose: removeDir, keep: removeDir };
}

export interface Tenant {
  phase: string;
  workspaceId: string;
  sourceId: string;
  writeKey: string;
  /** For the read API (`Authorization: Bearer`). */
  secretKey: string;
}

/**
 * One workspace per phase, so counting a workspace's rows counts one phase. Made before the
 * collector starts: PGlite allows one process per folder, and opening also migrates.
 */
export async function createTenants(store: BenchStore, phases: readonly string[]): Promise<Tenant[]> {
  const database = await store.open();
  try {
    const tenants: Tenant[] = [];
    for (const phase of phases) {
      const workspace = await createWorkspace(database.db, `bench ${phase}`);
      const source = await addSource(database.db, workspace.id, `bench ${phase} source`);
      tenants.push({ phase, workspaceId: workspace.id, sourceId: source.id, writeKey: source.writeKey, secretKey: workspace.secretKey });
    }
    return tenants;
  } finally {
    await database.close();
  }
}

export interface StoredCounts {
  events: number;
  profiles: number;
}

/** Rows actually stored per workspace (the bench's figure, never the HTTP answers), and its profiles. */
export async function countStored(store: BenchStore, tenants: readonly Tenant[]): Promise<Map<string, StoredCounts>> {
  const database = await store.open();
  try {
    const counts = new Map<string, StoredCounts>();
    for (const tenant of tenants) {
      counts.set(tenant.phase, {
        events: await database.db.$count(events, eq(events.workspaceId, tenant.workspaceId)),
        profiles: await database.db.$count(profiles, eq(profiles.workspaceId, tenant.workspaceId)),
      });
    }
    return counts;
  } finally {
    await database.close();
  }
}
