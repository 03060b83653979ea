// Protects VISTA_PROCESSES: several collector processes share one port and one PostgreSQL, every acknowledged event is stored once, and the group stops cleanly.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { events } from '../db/schema.ts';
import { scratchPostgres } from '../testing/databases.ts';
import { runTs, spawnTs, waitForOutput } from '../testing/spawn.ts';

const serverUrl = process.env.DATABASE_URL;
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'vista-cluster-'));
afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

describe(serverUrl ? 'VISTA_PROCESSES=2 on PostgreSQL' : 'VISTA_PROCESSES (needs DATABASE_URL)', () => {
  if (!serverUrl) {
    it('refuses several processes on embedded PGlite', async () => {
      const run = await runTs('packages/collector/src/runtime/node.ts', [], { VISTA_DATA_DIR: dataDir, VISTA_PROCESSES: '2', PORT: '0' });
      expect(run.code).toBe(2);
      expect(run.stderr).toContain('needs DATABASE_URL');
    });
    return;
  }
  it('serves from two processes and stores every event once', async () => {
    const database = await scratchPostgres(serverUrl);
    const child = spawnTs('packages/collector/src/runtime/node.ts', [], { DATABASE_URL: database.url, VISTA_PROCESSES: '2', PORT: '0', HOST: '127.0.0.1', VISTA_DATA_DIR: dataDir });
    try {
      const out = await waitForOutput(child, /watch:.*\n/);
      const base = `http://127.0.0.1:${/\(port (\d+)\)/.exec(out)![1]}`;
      const writeKey = /write key: +(vw_\w+)/.exec(out)![1]!;
      const sends = Array.from({ length: 40 }, (_, i) =>
        fetch(`${base}/v1/track`, {
          method: 'POST',
          headers: { authorization: `Basic ${btoa(`${writeKey}:`)}`, 'content-type': 'application/json', connection: 'close' },
          body: JSON.stringify({ userId: `u${i % 7}`, event: 'Hello', messageId: `c-${i}` }),
        }).then((r) => r.status),
      );
      expect(await Promise.all(sends)).toEqual(sends.map(() => 200));
      expect(await database.db.$count(events)).toBe(40);
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
    } finally {
      child.kill('SIGKILL');
      await database.dispose();
    }
  }, 60_000);
});
