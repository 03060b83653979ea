// Protects loadComponent: one statement finds everything linked to the seeds (both link directions, several steps), with the members' identities and unlinks, nothing from outside the set or another workspace; and on PostgreSQL it reads only the set, by index, however big the workspace.
import { describe, expect, it } from 'vitest';
import { testDrivers, withDatabase, type TestDatabase } from '../testing/databases.ts';
import { componentQuery, loadComponent } from './identity-component.ts';
import { saveIdentities, saveLinks, type StoredIdentity } from './identity-store.ts';
import type { Db } from './database.ts';
import { nodesReadingMoreThan } from '../testing/plans.ts';
import { identityUnlinks } from './schema.ts';

const identity = (value: string, at = 1_700_000_000_000): StoredIdentity => ({
  value, selfId: `p_${value}`, profileId: `p_${value}`, asAnonymous: true, asUser: false, asEmail: false, asPrevious: false, known: false, first: { at, messageId: `m_${value}` },
});
const link = (messageId: string, a: string, b: string) => ({ messageId, position: 0, a, b, at: 1_700_000_000_000, alias: false });

async function graph(db: Db, ws: string, values: string[], links: Array<[string, string]>) {
  await saveIdentities(db, ws, values.map((v) => identity(v)));
  await saveLinks(db, ws, links.map(([a, b], i) => link(`${ws}-l${i}`, a, b)));
}

describe.each(testDrivers())('connected set on $name', (driver) => {
  let database: TestDatabase;
  withDatabase(driver, (db) => (database = db));

  it('walks links both ways and several steps, with the members and their unlinks, and nothing else', async () => {
    // a - b - c, where c was unlinked; d - e apart; the same values in another workspace, linked to x.
    await graph(database.db, 'ws_c', ['a', 'b', 'c', 'd', 'e'], [['a', 'b'], ['c', 'b'], ['d', 'e']]);
    await graph(database.db, 'ws_other', ['a', 'x'], [['a', 'x']]);
    await database.db.insert(identityUnlinks).values({ workspaceId: 'ws_c', value: 'c' });
    const found = await loadComponent(database.db, 'ws_c', ['a']);
    expect([...found.values].sort()).toEqual(['a', 'b', 'c']);
    expect(found.links.map((l) => `${l.a}-${l.b}`).sort()).toEqual(['a-b', 'c-b']);
    expect([...found.members.keys()].sort()).toEqual(['a', 'b', 'c']);
    expect(found.members.get('b')).toEqual(identity('b'));
    expect([...found.unlinked]).toEqual(['c']);
    expect(found.links[0]).toMatchObject({ position: 0, at: 1_700_000_000_000, alias: false, outcome: expect.any(String) });
  });

  it('keeps a seed with no identity yet and no link', async () => {
    const found = await loadComponent(database.db, 'ws_c', ['new-browser']);
    expect([...found.values]).toEqual(['new-browser']);
    expect(found.links).toEqual([]);
    expect(found.members.size).toBe(0);
  });

  it.runIf(driver.name === 'postgres')('reads only the set, by index, in a workspace of thousands of identifiers and links', async () => {
    const many = Array.from({ length: 3000 }, (_, i) => `big-${i}`);
    await graph(database.db, 'ws_big', ['s1', 's2', 's3', ...many], [['s1', 's2'], ['s3', 's2'], ...many.slice(1).map((v, i) => [many[i]!, v] as [string, string])]);
    // No ANALYZE: a new database (or one where autovacuum is off) has no statistics, and the plan must hold then too.
    const read = await nodesReadingMoreThan(database.db, 50, componentQuery('ws_big', new Set(['s1'])));
    expect(read).toEqual([]);
  });
});
