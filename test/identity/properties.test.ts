// Invariant: the product's profiles are a pure function of the SET of messages — any order, batching, retries or concurrency give referenceState().profiles.

import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import fc from 'fast-check';
import { afterAll, describe, it } from 'vitest';
import { diffProfiles } from './compare.ts';
import { edgeCaseWorlds, scenarioArb, toBatches, workedExamples, type Scenario, type World } from './generators.ts';
import { referenceState } from './reference.ts';
import { isSystemModule, type SystemModule } from './system-contract.ts';

// VISTA_IDENTITY_SYSTEM=/abs/path/system.ts points the suite at another implementation of the contract.
const override = process.env['VISTA_IDENTITY_SYSTEM'];
const systemUrl = override ? pathToFileURL(resolve(override)).href : new URL('./system.ts', import.meta.url).href;
const systemName = override ?? 'test/identity/system.ts';

async function loadSystem(): Promise<SystemModule | string> {
  let loaded: unknown;
  try {
    loaded = await import(/* @vite-ignore */ systemUrl);
  } catch (error) {
    if (!existsSync(fileURLToPath(systemUrl))) return `${systemName} is missing`;
    return `${systemName} failed to load: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`;
  }
  return isSystemModule(loaded) ? loaded : `${systemName} does not export createSystem (see system-contract.ts)`;
}

const system = await loadSystem();

const envNumber = (name: string): number | undefined => {
  const raw = process.env[name];
  return raw === undefined || raw === '' ? undefined : Number(raw);
};
/** Reproduce a failure with the seed (and path) fast-check prints: FC_SEED=... FC_PATH=... */
const runParameters = {
  numRuns: envNumber('FC_NUM_RUNS') ?? 25,
  seed: envNumber('FC_SEED'),
  path: process.env['FC_PATH'],
  plugins: [fc.interruptAfterTimeLimit(150_000, { failOnInterrupt: true })],
};
const TEST_TIMEOUT = 200_000;

if (typeof system === 'string') {
  // A missing or broken system must never pass silently.
  it('identity system under test is available', () => {
    throw new Error(system);
  });
} else {
  const { createSystem, teardown } = system;
  afterAll(async () => {
    await teardown?.();
  });

  async function check(world: World, batches: World['messages'][], concurrent: boolean): Promise<void> {
    const sut = await createSystem(world.options);
    try {
      await sut.send(batches, { concurrent });
      const actual = await sut.profiles();
      const expected = referenceState(world.messages, world.options).profiles;
      const diff = diffProfiles(expected, actual);
      if (diff) throw new Error(`profiles differ from the reference (- expected, + actual):\n${diff}`);
    } finally {
      await sut.dispose();
    }
  }

  /** Runs the property; fails if nothing ran (a stale FC_PATH replays nothing and would pass). */
  async function assertProperty(concurrent: boolean): Promise<void> {
    let runs = 0;
    const property: fc.IAsyncProperty<[Scenario]> = fc.asyncProperty(scenarioArb, async ({ world, arrival }) => {
      runs++;
      await check(world, toBatches(world.messages, arrival), concurrent);
    });
    await fc.assert(property, runParameters);
    if (runs === 0) throw new Error('no property run executed: FC_SEED/FC_PATH do not match the current generators');
  }

  describe('identity: product state equals the reference', () => {
    const fixedWorlds = [...Object.entries(workedExamples), ...Object.entries(edgeCaseWorlds)];
    it.each(fixedWorlds)('%s: one message per batch, as written and reversed', async (_name, world) => {
      await check(world, world.messages.map((m) => [m]), false);
      await check(world, [...world.messages].reverse().map((m) => [m]), false);
    });

    it('any arrival order, batch split and retries, batches sent one after another', async () => {
      await assertProperty(false);
    }, TEST_TIMEOUT);

    it('any arrival order, batch split and retries, batches sent concurrently', async () => {
      await assertProperty(true);
    }, TEST_TIMEOUT);
  });
}
