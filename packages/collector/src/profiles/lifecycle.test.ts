// Protects the lifecycle stage as of now: lapsed first, then visitor/lead/new/at_risk/repeat, with exact day boundaries.
import { describe, expect, it } from 'vitest';
import { buildProfile } from './build.ts';
import { BASE_MS, D, DAY, page, track } from './fixtures.ts';
import { lifecycle } from './lifecycle.ts';

const at = (days: number) => new Date(BASE_MS + days * DAY);
const order = (id: string, day: number) => track('Order Completed', { order_id: id, revenue: 10 }, { timestamp: D(day) });

describe('lifecycle', () => {
  const browsing = buildProfile([page({ timestamp: D(0) })]);
  const oneOrder = buildProfile([page({ timestamp: D(0) }), order('a', 1)]);
  // Orders on days 0, 10, 20: average gap 10 days, last order day 20.
  const repeat = buildProfile([order('a', 0), order('b', 10), order('c', 20)]);

  it('visitor when not known, lead when known without orders', () => {
    expect(lifecycle(browsing, false, at(1))).toBe('visitor');
    expect(lifecycle(oneOrder, false, at(1))).toBe('visitor');
    expect(lifecycle(browsing, true, at(1))).toBe('lead');
  });

  it('new_customer with one order, repeat_customer with more', () => {
    expect(lifecycle(oneOrder, true, at(2))).toBe('new_customer');
    expect(lifecycle(repeat, true, at(21))).toBe('repeat_customer');
  });

  it('at_risk only once days since the last order exceed twice the usual gap', () => {
    expect(lifecycle(repeat, true, at(40))).toBe('repeat_customer');
    expect(lifecycle(repeat, true, new Date(BASE_MS + 40 * DAY + 1))).toBe('at_risk');
  });

  it('lapsed after more than lapseDays of silence, checked before everything else', () => {
    expect(lifecycle(repeat, true, at(20 + 180))).toBe('at_risk');
    expect(lifecycle(repeat, true, new Date(BASE_MS + 200 * DAY + 1))).toBe('lapsed');
    expect(lifecycle(browsing, false, new Date(BASE_MS + 180 * DAY + 1))).toBe('lapsed');
    expect(lifecycle(browsing, true, at(31), 30)).toBe('lapsed');
    expect(lifecycle(browsing, true, at(30), 30)).toBe('lead');
  });

  it('an empty profile is a visitor or lead, never lapsed', () => {
    const empty = buildProfile([]);
    expect(lifecycle(empty, false, at(1000))).toBe('visitor');
    expect(lifecycle(empty, true, at(1000))).toBe('lead');
  });
});
