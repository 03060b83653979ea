// Protects `npm start`: on an empty data folder it creates a demo workspace, prints working keys and URLs, stores what it acknowledges, stops cleanly and keeps the data for the next start.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { ChildProcess } from 'node:child_process';
import { afterAll, describe, expect, it } from 'vitest';
import { spawnTs, waitForOutput } from '../testing/spawn.ts';

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'vista-start-'));
const children: ChildProcess[] = [];
afterAll(() => {
  for (const child of children) child.kill('SIGKILL');
  fs.rmSync(dataDir, { recursive: true, force: true });
});

async function start() {
  const child = spawnTs('packages/collector/src/runtime/node.ts', [], { VISTA_DATA_DIR: dataDir, PORT: '0', HOST: '127.0.0.1' });
  children.push(child);
  const out = await waitForOutput(child, /watch:.*\n/);
  const port = Number(/\(port (\d+)\)/.exec(out)![1]);
  return { child, out, base: `http://127.0.0.1:${port}` };
}

function stop(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => {
    child.once('exit', (code) => resolve(code));
    child.kill('SIGTERM');
  });
}

describe('the Node runtime (npm start)', () => {
  it('starts with a demo workspace, ingests, and restarts with the data kept', async () => {
    const first = await start();
    expect(first.out).toContain(`embedded PGlite in ${dataDir}`);
    const writeKey = /write key: +(vw_\w+)/.exec(first.out)![1]!;
    const secretKey = /secret key: (vs_\w+)/.exec(first.out)![1]!;
    expect(first.out).toContain('/demo/');

    const sent = await fetch(`${first.base}/v1/track`, {
      method: 'POST',
      headers: { authorization: `Basic ${btoa(`${writeKey}:`)}`, 'content-type': 'application/json' },
      body: JSON.stringify({ userId: 'u1', event: 'Hello', messageId: 'start-1' }),
    });
    expect(sent.status).toBe(200);
    expect(await (await fetch(`${first.base}/health`)).json()).toEqual({ ok: true });
    const page = await (await fetch(`${first.base}/demo/`)).text();
    expect(page).toContain(`data-key="${writeKey}"`);
    expect(page).toContain('data-vista-form="Contest Entry"');
    const script = await fetch(`${first.base}/v.js`);
    expect(script.status).toBe(200);
    expect((await script.text()).length).toBeGreaterThan(1000);
    const demoEvents = (await (await fetch(`${first.base}/demo/events`)).json()) as { data: Array<{ messageId: string }> };
    expect(demoEvents.data.map((e) => e.messageId)).toEqual(['start-1']);
    expect(await stop(first.child)).toBe(0);
    expect(fs.existsSync(path.join(dataDir, 'lock'))).toBe(false);

    const second = await start();
    // The secret key is shown only on the start that created it.
    expect(second.out).not.toContain(secretKey);
    expect(second.out).toContain(writeKey);
    const events = await fetch(`${second.base}/v1/events`, { headers: { authorization: `Bearer ${secretKey}` } });
    const body = (await events.json()) as { data: Array<{ messageId: string; event: string }> };
    expect(body.data).toMatchObject([{ messageId: 'start-1', event: 'Hello' }]);
    expect(await stop(second.child)).toBe(0);
  });
});
