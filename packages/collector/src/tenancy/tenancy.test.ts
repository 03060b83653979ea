// Protects keys: stored only as hashes, shown once, a rotation kills the old key at once, and each key reaches only its own workspace.
import { describe, expect, it } from 'vitest';
import { apiKeys } from '../db/schema.ts';
import { findKeyOwner } from '../db/tenancy.ts';
import { testDrivers, withDatabase, type TestDatabase } from '../testing/databases.ts';
import { hashKey } from './keys.ts';
import { addSource, createWorkspace, listTenancy, rotateKey } from './tenancy.ts';

describe.each(testDrivers())('tenancy on $name', (driver) => {
  let database: TestDatabase;
  withDatabase(driver, (db) => (database = db));

  it('creates workspaces and sources whose keys are stored only as SHA-256', async () => {
    const ws = await createWorkspace(database.db, 'Brand');
    const source = await addSource(database.db, ws.id, 'Shop', ['https://shop.example']);
    expect(ws.secretKey).toMatch(/^vs_[0-9A-Za-z]{40}$/);
    expect(source.writeKey).toMatch(/^vw_[0-9A-Za-z]{32}$/);
    const stored = JSON.stringify(await database.db.select().from(apiKeys));
    expect(stored).not.toContain(ws.secretKey);
    expect(stored).not.toContain(source.writeKey);
    expect(await findKeyOwner(database.db, await hashKey(source.writeKey))).toMatchObject({
      kind: 'write', workspaceId: ws.id, sourceId: source.id, allowedOrigins: ['https://shop.example'],
    });
    expect(await findKeyOwner(database.db, await hashKey(ws.secretKey))).toMatchObject({ kind: 'secret', workspaceId: ws.id, sourceId: null });
  });

  it('rotates a write key and a secret key, revoking the old ones', async () => {
    const ws = await createWorkspace(database.db, 'Rotating');
    const source = await addSource(database.db, ws.id, 'Site');
    const write = await rotateKey(database.db, source.id);
    const secret = await rotateKey(database.db, ws.id);
    expect(write.kind).toBe('write');
    expect(secret.kind).toBe('secret');
    expect(await findKeyOwner(database.db, await hashKey(source.writeKey))).toBeNull();
    expect(await findKeyOwner(database.db, await hashKey(ws.secretKey))).toBeNull();
    expect(await findKeyOwner(database.db, await hashKey(write.key))).toMatchObject({ sourceId: source.id });
    expect(await findKeyOwner(database.db, await hashKey(secret.key))).toMatchObject({ workspaceId: ws.id, kind: 'secret' });
    await expect(rotateKey(database.db, 'ws_missing')).rejects.toThrow(/no workspace or source/);
    await expect(addSource(database.db, 'ws_missing', 'x')).rejects.toThrow(/no workspace/);
  });

  it('lists workspaces with sources and key hints, never the keys', async () => {
    const ws = await createWorkspace(database.db, 'Listed');
    const source = await addSource(database.db, ws.id, 'Landing');
    const listed = (await listTenancy(database.db)).find((w) => w.id === ws.id)!;
    expect(listed.sources.map((s) => s.id)).toEqual([source.id]);
    expect(listed.sources[0]!.writeKeys).toHaveLength(1);
    expect(listed.secretKeys[0]!.hint).toBe(`${ws.secretKey.slice(0, 7)}…`);
    expect(JSON.stringify(listed)).not.toContain(source.writeKey);
  });
});
