import type { Db } from '../db/database.ts';
import type { WorkspaceSettings } from '../db/schema.ts';
import * as q from '../db/tenancy.ts';
import { hashKey, keyHint, newId, newKey, type KeyKind } from './keys.ts';

/** What creating or rotating returns: the only moment a key exists in clear. */
export interface IssuedKey {
  kind: KeyKind;
  key: string;
}

async function issueKey(db: Db, kind: KeyKind, workspaceId: string, sourceId: string | null): Promise<IssuedKey> {
  const key = newKey(kind);
  await q.insertKey(db, { hash: await hashKey(key), kind, workspaceId, sourceId, hint: keyHint(key) });
  return { kind, key };
}

export async function createWorkspace(db: Db, name: string, settings: WorkspaceSettings = {}) {
  const id = newId('ws');
  await q.insertWorkspace(db, id, name, settings);
  const secret = await issueKey(db, 'secret', id, null);
  return { id, name, secretKey: secret.key };
}

export async function addSource(db: Db, workspaceId: string, name: string, allowedOrigins: string[] = []) {
  if (!(await q.findWorkspace(db, workspaceId))) throw new Error(`no workspace ${workspaceId}`);
  const id = newId('src');
  await q.insertSource(db, { id, workspaceId, name, allowedOrigins });
  const write = await issueKey(db, 'write', workspaceId, id);
  return { id, workspaceId, name, writeKey: write.key };
}

/**
 * Replaces the live key of a source (its write key) or of a workspace (its secret key). The
 * old key stops working at once; callers with a key cache must drop it (see KeyCache.clear).
 */
export async function rotateKey(db: Db, ownerId: string): Promise<IssuedKey & { ownerId: string }> {
  const source = ownerId.startsWith('src_') ? await q.findSource(db, ownerId) : null;
  if (source) {
    await q.revokeKeys(db, { workspaceId: source.workspaceId, sourceId: source.id });
    return { ...(await issueKey(db, 'write', source.workspaceId, source.id)), ownerId };
  }
  const workspace = await q.findWorkspace(db, ownerId);
  if (!workspace) throw new Error(`no workspace or source ${ownerId}`);
  await q.revokeKeys(db, { workspaceId: workspace.id, sourceId: null });
  return { ...(await issueKey(db, 'secret', workspace.id, null)), ownerId };
}

export const listTenancy = q.listTenancy;
