// Protects saveProfiles on every driver: each column lands as given, on insert and on update (the upsert), and the state is stored as the exact JSON text sent, its keys in their order.
import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import type { StoredProfile } from '../profiles/stored.ts';
import { testDrivers, withDatabase, type TestDatabase } from '../testing/databases.ts';
import { rowsOf } from './database.ts';
import { saveProfiles, type ProfileRow } from './profile-store.ts';

const ws = 'ws_store';
// Keys out of jsonb's order (it sorts shorter keys first): json keeps them as sent.
const state = { v: 1, t0: 1_767_225_600_000, s: [3, 2, 1, 60_000, 0, 1], lk: [120_000, 'm-3'] } as unknown as StoredProfile;
const row: ProfileRow = {
  id: 'p_1', known: true, identifierCount: 3, firstSeen: new Date('2026-01-01T00:00:00.000Z'), lastSeen: new Date('2026-01-01T00:02:00.000Z'),
  events: 3, orders: 1, revenue: 42.5, lastOrderAt: new Date('2026-01-01T00:01:00.000Z'), averageDaysBetweenOrders: null,
  traits: { plan: 'pro', address: { city: 'Torino' } }, state, channels: ['email', 'organic_search'], sources: ['newsletter'],
};

describe.each(testDrivers())('profile rows on $name', (driver) => {
  let database: TestDatabase;
  withDatabase(driver, (db) => (database = db));

  const stored = async () => rowsOf<Record<string, unknown>>(await database.db.execute(sql`
    select id, known, identifier_count, first_seen, last_seen, events, orders, revenue, last_order_at, average_days_between_orders,
      traits, state::text as state_text, channels, sources from profiles where workspace_id = ${ws} order by id`));
  const iso = (value: unknown) => new Date(value as string | Date).toISOString();

  it('stores every column as given, then updates them all, with the state as the text sent', async () => {
    await saveProfiles(database.db, ws, [row, { ...row, id: 'p_2', known: false, lastOrderAt: null, orders: 0, revenue: 0, channels: [], sources: [], state: null }]);
    const [first, second] = await stored();
    expect(first).toMatchObject({ id: 'p_1', known: true, identifier_count: 3, events: 3, orders: 1, revenue: 42.5, average_days_between_orders: null });
    expect([first!.first_seen, first!.last_seen, first!.last_order_at].map(iso)).toEqual(['2026-01-01T00:00:00.000Z', '2026-01-01T00:02:00.000Z', '2026-01-01T00:01:00.000Z']);
    expect(first!.traits).toEqual({ plan: 'pro', address: { city: 'Torino' } });
    expect(first!.state_text).toBe(JSON.stringify(state));
    expect([first!.channels, first!.sources]).toEqual([['email', 'organic_search'], ['newsletter']]);
    expect(second).toMatchObject({ id: 'p_2', known: false, orders: 0, last_order_at: null, state_text: null, channels: [], sources: [] });

    const later = { ...row, events: 4, lastSeen: new Date('2026-01-02T00:00:00.000Z'), averageDaysBetweenOrders: 1.5, traits: { plan: 'team' }, channels: ['direct'], state: { ...state, t0: 0 } as StoredProfile };
    await saveProfiles(database.db, ws, [later]);
    const [updated] = await stored();
    expect(updated).toMatchObject({ events: 4, average_days_between_orders: 1.5, traits: { plan: 'team' }, channels: ['direct'], state_text: JSON.stringify(later.state) });
    expect(iso(updated!.last_seen)).toBe('2026-01-02T00:00:00.000Z');
  });
});
