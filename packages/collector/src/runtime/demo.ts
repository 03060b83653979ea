import fs from 'node:fs';
import path from 'node:path';
import type { Db } from '../db/database.ts';
import { countWorkspaces, findKeyOwner } from '../db/tenancy.ts';
import { hashKey } from '../tenancy/keys.ts';
import { addSource, createWorkspace } from '../tenancy/tenancy.ts';

export interface DemoKeys {
  workspaceId: string;
  sourceId: string;
  writeKey: string;
  secretKey: string;
  /** True on the start that created the demo, the one time its secret key is printed. */
  created: boolean;
}

/**
 * On an empty database, creates a demo workspace with one website source. Its keys are kept
 * in the data folder (owner-only) so later starts can show them and the demo page can embed
 * the write key; real workspaces, made with `npm run vista`, show their keys only once.
 */
export async function ensureDemo(db: Db, dataDir: string): Promise<DemoKeys | null> {
  const file = path.join(dataDir, 'demo-keys.json');
  if ((await countWorkspaces(db)) === 0) {
    const workspace = await createWorkspace(db, 'Demo brand');
    const source = await addSource(db, workspace.id, 'Demo website');
    const keys = { workspaceId: workspace.id, sourceId: source.id, writeKey: source.writeKey, secretKey: workspace.secretKey };
    fs.mkdirSync(dataDir, { recursive: true });
    fs.writeFileSync(file, JSON.stringify(keys, null, 2), { mode: 0o600 });
    return { ...keys, created: true };
  }
  if (!fs.existsSync(file)) return null;
  const keys = JSON.parse(fs.readFileSync(file, 'utf8')) as Omit<DemoKeys, 'created'>;
  const live = await findKeyOwner(db, await hashKey(keys.writeKey));
  return live?.workspaceId === keys.workspaceId ? { ...keys, created: false } : null;
}
