// Protects the command line: a user can create a workspace, add a source, rotate keys and list them, keys print once and then work, and a PGlite folder in use is refused.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openNodeDatabase } from '../runtime/open-database.ts';
import { findKeyOwner } from '../db/tenancy.ts';
import { hashKey } from '../tenancy/keys.ts';
import { runTs } from '../testing/spawn.ts';

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'vista-cli-'));
const vista = (...args: string[]) => runTs('packages/collector/src/cli/main.ts', args, { VISTA_DATA_DIR: dataDir });
afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

describe('npm run vista', () => {
  it('creates, adds, rotates and lists; printed keys work and rotated ones stop', async () => {
    const created = await vista('workspace', 'create', 'Acme', 'Shoes');
    expect(created.code).toBe(0);
    const workspaceId = /workspace (ws_\w+) "Acme Shoes"/.exec(created.stdout)![1]!;
    const secretKey = /secret key: (vs_\w+)/.exec(created.stdout)![1]!;

    const added = await vista('source', 'add', workspaceId, 'Contest', 'landing', '--origin', 'https://win.acme.example');
    expect(added.code).toBe(0);
    const sourceId = /source (src_\w+)/.exec(added.stdout)![1]!;
    const writeKey = /write key: (vw_\w+)/.exec(added.stdout)![1]!;

    const rotated = await vista('key', 'rotate', sourceId);
    expect(rotated.code).toBe(0);
    const newWriteKey = /new write key for src_\w+: (vw_\w+)/.exec(rotated.stdout)![1]!;

    const set = await vista('workspace', 'set', workspaceId, '--lapse-days', '90', '--email-identity', 'off', '--block', 'n/a', '--block', '/^test-/');
    expect(set.code).toBe(0);
    expect(set.stdout).toContain('"lapseDays":90');
    const bad = await vista('workspace', 'set', workspaceId, '--lapse-days', 'soon');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--lapse-days takes a whole number');

    const listed = await vista('list');
    expect(listed.code).toBe(0);
    expect(listed.stdout).toContain(`workspace ${workspaceId} "Acme Shoes"`);
    expect(listed.stdout).toContain(`source ${sourceId} "Contest landing" write ${newWriteKey.slice(0, 7)}…`);
    expect(listed.stdout).toContain('origins https://win.acme.example');
    expect(listed.stdout).toContain('"emailIdentity":false');
    expect(listed.stdout).toContain('"blockedIdentifiers":["n/a","/^test-/"]');
    for (const key of [secretKey, writeKey, newWriteKey]) expect(listed.stdout).not.toContain(key);

    const database = await openNodeDatabase({ dataDir });
    try {
      expect(await findKeyOwner(database.db, await hashKey(secretKey))).toMatchObject({ kind: 'secret', workspaceId });
      expect(await findKeyOwner(database.db, await hashKey(writeKey))).toBeNull();
      expect(await findKeyOwner(database.db, await hashKey(newWriteKey))).toMatchObject({ kind: 'write', sourceId });
    } finally {
      await database.close();
    }
  });

  it('explains mistakes with the usage and a non-zero exit', async () => {
    const unknown = await vista('frobnicate');
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('unknown command: frobnicate');
    expect(unknown.stderr).toContain('usage: npm run vista');
    const missing = await vista('source', 'add', 'ws_nope', 'Site');
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('no workspace ws_nope');
  });

  it('refuses a PGlite folder that another live process holds', async () => {
    fs.writeFileSync(path.join(dataDir, 'lock'), String(process.pid));
    try {
      const refused = await vista('list');
      expect(refused.code).not.toBe(0);
      expect(refused.stderr).toContain(`is in use by process ${process.pid}`);
    } finally {
      fs.rmSync(path.join(dataDir, 'lock'), { force: true });
    }
  });
});
