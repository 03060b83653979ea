import { and, eq, isNull, sql } from 'drizzle-orm';
import type { Db } from './database.ts';
import { apiKeys, sources, suppressions, workspaces, type WorkspaceSettings } from './schema.ts';

export interface KeyOwner {
  kind: 'write' | 'secret';
  workspaceId: string;
  sourceId: string | null;
  allowedOrigins: string[];
  settings: WorkspaceSettings;
  /** Whether any identifier of the workspace is suppressed (R20): only then is each request checked. */
  hasSuppressions: boolean;
}

/** The live key with this hash, with what the request needs to know about its owner. */
export async function findKeyOwner(db: Db, hash: string): Promise<KeyOwner | null> {
  const rows = await db
    .select({
      kind: apiKeys.kind,
      workspaceId: apiKeys.workspaceId,
      sourceId: apiKeys.sourceId,
      allowedOrigins: sources.allowedOrigins,
      settings: workspaces.settings,
      hasSuppressions: sql<boolean>`exists (select 1 from ${suppressions} where ${suppressions.workspaceId} = ${apiKeys.workspaceId})`,
    })
    .from(apiKeys)
    .innerJoin(workspaces, eq(workspaces.id, apiKeys.workspaceId))
    .leftJoin(sources, eq(sources.id, apiKeys.sourceId))
    .where(and(eq(apiKeys.hash, hash), isNull(apiKeys.revokedAt)))
    .limit(1);
  const row = rows[0];
  if (!row) return null;
  return { ...row, allowedOrigins: row.allowedOrigins ?? [], hasSuppressions: Boolean(row.hasSuppressions) };
}

export async function insertWorkspace(db: Db, id: string, name: string, settings: WorkspaceSettings) {
  await db.insert(workspaces).values({ id, name, settings });
}

export async function insertSource(
  db: Db,
  source: { id: string; workspaceId: string; name: string; allowedOrigins: string[] },
) {
  await db.insert(sources).values(source);
}

export async function insertKey(
  db: Db,
  key: { hash: string; kind: 'write' | 'secret'; workspaceId: string; sourceId: string | null; hint: string },
) {
  await db.insert(apiKeys).values(key);
}

/** Revokes the live keys of one owner (a source's write keys or a workspace's secret keys). */
export async function revokeKeys(db: Db, owner: { workspaceId: string; sourceId: string | null }) {
  const bySource = owner.sourceId === null ? isNull(apiKeys.sourceId) : eq(apiKeys.sourceId, owner.sourceId);
  return db
    .update(apiKeys)
    .set({ revokedAt: new Date() })
    .where(and(eq(apiKeys.workspaceId, owner.workspaceId), bySource, isNull(apiKeys.revokedAt)))
    .returning({ hash: apiKeys.hash });
}

export async function listTenancy(db: Db) {
  const [ws, src, keys] = await Promise.all([
    db.select().from(workspaces).orderBy(workspaces.createdAt),
    db.select().from(sources).orderBy(sources.createdAt),
    db
      .select({
        kind: apiKeys.kind,
        workspaceId: apiKeys.workspaceId,
        sourceId: apiKeys.sourceId,
        hint: apiKeys.hint,
        createdAt: apiKeys.createdAt,
      })
      .from(apiKeys)
      .where(isNull(apiKeys.revokedAt)),
  ]);
  return ws.map((w) => ({
    ...w,
    secretKeys: keys.filter((k) => k.workspaceId === w.id && k.sourceId === null),
    sources: src
      .filter((s) => s.workspaceId === w.id)
      .map((s) => ({ ...s, writeKeys: keys.filter((k) => k.sourceId === s.id) })),
  }));
}

export async function findSource(db: Db, id: string) {
  const rows = await db.select().from(sources).where(eq(sources.id, id)).limit(1);
  return rows[0] ?? null;
}

export async function findWorkspace(db: Db, id: string) {
  const rows = await db.select().from(workspaces).where(eq(workspaces.id, id)).limit(1);
  return rows[0] ?? null;
}

export async function countWorkspaces(db: Db): Promise<number> {
  return db.$count(workspaces);
}

export async function updateSettings(db: Db, id: string, change: Partial<WorkspaceSettings>): Promise<WorkspaceSettings | null> {
  const workspace = await findWorkspace(db, id);
  if (!workspace) return null;
  const settings = { ...workspace.settings, ...change };
  await db.update(workspaces).set({ settings }).where(eq(workspaces.id, id));
  return settings;
}
