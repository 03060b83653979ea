// Protects rule 1 across processes: two collector processes writing the same workspaces of one PostgreSQL at once reach exactly the reference state.
import type { ChildProcess } from 'node:child_process';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scratchPostgres, type TestDatabase } from '../../packages/collector/src/testing/databases.ts';
import { spawnTs, waitForOutput } from '../../packages/collector/src/testing/spawn.ts';
import { addSource, createWorkspace } from '../../packages/collector/src/tenancy/tenancy.ts';
import { diffProfiles } from './compare.ts';
import { scenarioArb, toBatches } from './generators.ts';
import { readProfiles } from './read-profiles.ts';
import { referenceState } from './reference.ts';

const serverUrl = process.env.DATABASE_URL;

describe(serverUrl ? 'two collector processes, one PostgreSQL' : 'two collector processes (needs DATABASE_URL)', () => {
  if (!serverUrl) {
    it('runs only against a PostgreSQL server', () => {
      console.warn('DATABASE_URL is not set: two processes cannot share embedded PGlite, so this test has nothing to run against.');
    });
    return;
  }
  let database: TestDatabase & { url: string };
  const children: ChildProcess[] = [];
  const bases: string[] = [];
  beforeAll(async () => {
    database = await scratchPostgres(serverUrl);
    for (let i = 0; i < 2; i++) {
      const child = spawnTs('packages/collector/src/runtime/node.ts', [], { DATABASE_URL: database.url, PORT: '0', HOST: '127.0.0.1', VISTA_DEMO: '0' });
      children.push(child);
      const out = await waitForOutput(child, /\(port (\d+)\)/);
      bases.push(`http://127.0.0.1:${/\(port (\d+)\)/.exec(out)![1]}`);
    }
  }, 90_000);
  afterAll(async () => {
    for (const child of children) child.kill('SIGTERM');
    await Promise.all(children.map((c) => new Promise((resolve) => (c.exitCode !== null ? resolve(null) : c.once('exit', resolve)))));
    await database?.dispose();
  });

  it('gives the reference profiles for worlds sent concurrently through both', async () => {
    const seed = Number(process.env.FC_SEED ?? 4242);
    const scenarios = fc.sample(scenarioArb, { numRuns: 12, seed });
    for (const [n, { world, arrival }] of scenarios.entries()) {
      const ws = await createWorkspace(database.db, `w${n}`, { emailIdentity: world.options.emailIdentity, blockedIdentifiers: world.options.blocked });
      const source = await addSource(database.db, ws.id, 'site');
      const batches = toBatches(world.messages, arrival);
      // Every batch goes out at once, alternating between the processes.
      const answers = await Promise.all(
        batches.map((batch, i) =>
          fetch(`${bases[i % 2]}/v1/batch`, {
            method: 'POST',
            headers: { authorization: `Basic ${btoa(`${source.writeKey}:`)}`, 'content-type': 'application/json' },
            body: JSON.stringify({ batch }),
          }),
        ),
      );
      expect(answers.map((a) => a.status)).toEqual(batches.map(() => 200));
      const get = async <T>(path: string): Promise<T> => {
        const res = await fetch(`${bases[n % 2]}${path}`, { headers: { authorization: `Bearer ${ws.secretKey}` } });
        return (await res.json()) as T;
      };
      const diff = diffProfiles(referenceState(world.messages, world.options).profiles, await readProfiles(get));
      expect(diff, `world ${n} (seed ${seed})`).toBe('');
    }
  }, 120_000);
});
