// Protects migrations: drizzle silently skips entries whose journal timestamps go backwards, every entry has its SQL, applying twice is a no-op, and data stored before a migration survives it on both drivers.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { eq, sql } from 'drizzle-orm';
import { createRefresher } from '../profiles/refresher.ts';
import { addSource, createWorkspace } from '../tenancy/tenancy.ts';
import { describe, expect, it } from 'vitest';
import { testDrivers, type TestDatabase, type TestDriver } from '../testing/databases.ts';
import { rowsOf } from './database.ts';
import { migrate, migrationsFolder } from './migrate.ts';
import { events, profileDirty, profiles } from './schema.ts';

interface Journal {
  entries: Array<{ idx: number; when: number; tag: string }>;
}

const journal = JSON.parse(fs.readFileSync(path.join(migrationsFolder, 'meta/_journal.json'), 'utf8')) as Journal;

describe('migrations folder', () => {
  it('has journal timestamps that strictly increase', () => {
    expect(journal.entries.length).toBeGreaterThan(0);
    journal.entries.forEach((entry, i) => {
      expect(entry.idx).toBe(i);
      if (i > 0) expect(entry.when).toBeGreaterThan(journal.entries[i - 1]!.when);
    });
  });

  it('has one SQL file per journal entry and no stray SQL', () => {
    const files = fs.readdirSync(migrationsFolder).filter((f) => f.endsWith('.sql')).sort();
    expect(files).toEqual(journal.entries.map((e) => `${e.tag}.sql`).sort());
  });
});

describe.each(testDrivers())('migrate on $name', (driver) => {
  it('applies once; a second run changes nothing', async () => {
    const database = await driver.open();
    try {
      await migrate(database);
      expect(await database.db.$count(events)).toBe(0);
    } finally {
      await database.dispose();
    }
  });
});

/** A migrations folder holding the journal's first `count` entries: the schema as an older release left it. */
function olderFolder(count: number): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vista-migrations-'));
  fs.mkdirSync(path.join(dir, 'meta'));
  const entries = journal.entries.slice(0, count);
  fs.writeFileSync(path.join(dir, 'meta/_journal.json'), JSON.stringify({ ...journal, entries }));
  for (const e of entries) fs.copyFileSync(path.join(migrationsFolder, `${e.tag}.sql`), path.join(dir, `${e.tag}.sql`));
  return dir;
}

/**
 * On a schema as an older release left it: a workspace whose browser 'a1' made one page view at
 * `at`, owned by profile `profileId`, as raw rows (today's code may not fit the old schema).
 */
async function oneVisit(database: TestDatabase, name: string, profileId: string, at: Date): Promise<string> {
  const ws = await createWorkspace(database.db, name);
  const src = await addSource(database.db, ws.id, 'web');
  await database.db.execute(sql`insert into events (workspace_id, message_id, source_id, type, anonymous_id, owner_id, timestamp, received_at, channel)
    values (${ws.id}, 'm1', ${src.id}, 'page', 'a1', 'a1', ${at.toISOString()}, ${at.toISOString()}, 'direct')`);
  await database.db.execute(sql`insert into identities (workspace_id, value, self_id, profile_id, as_anonymous, as_user, as_email, as_previous, known, first_at, first_message_id)
    values (${ws.id}, 'a1', ${profileId}, ${profileId}, true, false, false, false, false, ${at.toISOString()}, 'm1')`);
  return ws.id;
}

/** A database left by the release before migration `tag`, holding one visit; `check` then upgrades it. */
async function upgradeFrom(driver: TestDriver, tag: string, name: string, check: (database: TestDatabase, workspaceId: string) => Promise<void>): Promise<void> {
  const database = await driver.openEmpty();
  const older = olderFolder(journal.entries.findIndex((e) => e.tag === tag));
  try {
    await migrate(database, older);
    await check(database, await oneVisit(database, name, `prof_${name}`, AT));
  } finally {
    await database.dispose();
    fs.rmSync(older, { recursive: true, force: true });
  }
}

const AT = new Date('2026-03-01T09:00:00Z');

describe.each(testDrivers())('upgrading on $name', (driver) => {
  it('0005: profiles stored as facts are marked, and the refresher gives them a state from their events', () =>
    upgradeFrom(driver, '0005_profile_state', 'facts', async (database, ws) => {
      await database.db.execute(sql`insert into profiles (workspace_id, id, known, identifier_count, events, orders, revenue, traits, facts)
        values (${ws}, 'prof_facts', false, 1, 1, 0, 0, '{}'::jsonb, '{"old":true}'::jsonb)`);

      await migrate(database);
      expect(await database.db.select().from(profileDirty).where(eq(profileDirty.workspaceId, ws))).toHaveLength(1);
      const refresher = createRefresher(database);
      refresher.kick();
      await refresher.settle();
      await refresher.stop();
      const [profile] = await database.db.select().from(profiles).where(eq(profiles.workspaceId, ws));
      expect(profile).toMatchObject({ id: 'prof_facts', events: 1, firstSeen: AT });
      expect(profile!.state).toMatchObject({ v: 1, t0: AT.getTime(), s: [1, 1, 1, 0, 0, 1] });
    }));

  it('0006-0007: a state stored as jsonb reads back the same as json, and fills the list columns', () =>
    upgradeFrom(driver, '0006_profile_state_json', 'jsonb', async (database, ws) => {
      // As the release before 0006 stored it (today's writer would not fit that schema).
      const state = { v: 1, t0: AT.getTime(), s: [1, 1, 1, 0, 0, 1], pa: 0, lk: [0, 'm1'], tp: { s: [['src_web', 1, 0, 0]], ch: [['direct', 1, 0, 0], ['email', 1, 0, 0]] }, ia: ['direct', null, null, null, null, null, null], la: 0 };
      await database.db.execute(sql`insert into profiles (workspace_id, id, known, identifier_count, events, orders, revenue, traits, state)
        values (${ws}, 'prof_jsonb', false, 1, 1, 0, 0, '{}'::jsonb, ${JSON.stringify(state)}::jsonb)`);

      await migrate(database);
      const [now] = rowsOf<{ state: unknown; type: string; channels: string[]; sources: string[] }>(
        await database.db.execute(sql`select state, pg_typeof(state)::text as type, channels, sources from profiles where workspace_id = ${ws}`),
      );
      expect(now!.type).toBe('json');
      expect(now!.state).toEqual(state);
      expect([now!.channels, now!.sources]).toEqual([['direct', 'email'], ['src_web']]);
    }));
});
