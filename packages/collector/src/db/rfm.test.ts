// Protects RFM scoring: the four cut points per dimension give every customer exactly ceil(5 × customers at or below it / customers), ties included.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { foldProfile } from '../profiles/build.ts';
import { profileRow } from '../profiles/refresh.ts';
import { rfmScores } from '../profiles/rfm.ts';
import { testDrivers, withDatabase, type TestDatabase } from '../testing/databases.ts';
import { saveProfiles } from './profile-store.ts';
import { rfmBoundaries } from './rfm.ts';

const quintile = (atOrBelow: number, total: number) => Math.max(1, Math.ceil((5 * atOrBelow) / total));
const customer = fc.record({
  orders: fc.integer({ min: 0, max: 6 }),
  revenue: fc.constantFrom(0, 10, 10, 25.5, 99.99, 1000),
  day: fc.integer({ min: 0, max: 9 }),
});

let run = 0;
describe.each(testDrivers())('RFM on $name', (driver) => {
  let database: TestDatabase;
  withDatabase(driver, (db) => (database = db));

  it('scores every customer as the counts would, for any distribution', async () => {
    await fc.assert(fc.asyncProperty(fc.array(customer, { maxLength: 40 }), async (people) => {
      const ws = `ws_rfm_${++run}`;
      const base = foldProfile(null, []);
      const rows = people.map((p, i) => ({
        ...profileRow(`p${i}`, base, { known: true, identifierCount: 1 }),
        orders: p.orders, revenue: p.revenue, lastOrderAt: p.orders > 0 ? new Date(Date.UTC(2026, 0, 1 + p.day)) : null,
      }));
      await saveProfiles(database.db, ws, rows);
      const b = await rfmBoundaries(database.db, ws);
      const customers = rows.filter((r) => r.orders > 0);
      expect(b.total).toBe(customers.length);
      for (const r of rows) {
        const expected = r.orders === 0 ? null : (() => {
          const rec = quintile(customers.filter((c) => c.lastOrderAt!.getTime() <= r.lastOrderAt!.getTime()).length, customers.length);
          const freq = quintile(customers.filter((c) => c.orders <= r.orders).length, customers.length);
          const mon = quintile(customers.filter((c) => c.revenue <= r.revenue).length, customers.length);
          return { recency: rec, frequency: freq, monetary: mon, score: `${rec}${freq}${mon}` };
        })();
        expect(rfmScores({ orders: r.orders, revenue: r.revenue, lastOrderAt: r.lastOrderAt }, b)).toEqual(expected);
      }
    }), { numRuns: 25 });
  }, 60_000);
});
