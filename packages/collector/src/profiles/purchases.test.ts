// Protects purchase facts: one count per order_id, revenue ?? total ?? Σ price×quantity, gaps between orders in days.
import { describe, expect, it } from 'vitest';
import { canonicalise } from './canonical.ts';
import { D, T, track } from './fixtures.ts';
import { buildPurchases, distinctOrders, orderRevenue } from './purchases.ts';
import type { ProfileEvent } from './types.ts';

const purchases = (events: ProfileEvent[]) => buildPurchases(distinctOrders(canonicalise(events).events));
const order = (properties: Record<string, unknown>, timestamp = T(0)) => track('Order Completed', properties, { timestamp });

describe('orderRevenue', () => {
  it('prefers revenue, then total, then the products', () => {
    expect(orderRevenue({ revenue: 10, total: 12 })).toBe(10);
    expect(orderRevenue({ total: '12.50' })).toBe(12.5);
    expect(orderRevenue({ products: [{ price: 5, quantity: 2 }, { price: '1.5' }, { price: 'free', quantity: 3 }] })).toBe(11.5);
  });

  it('treats unreadable amounts as absent', () => {
    expect(orderRevenue({ revenue: 'lots', total: 7 })).toBe(7);
    expect(orderRevenue({ revenue: null, total: '' })).toBe(0);
    expect(orderRevenue(null)).toBe(0);
  });
});

describe('buildPurchases', () => {
  it('counts a duplicated order_id once, keeping the first report', () => {
    const p = purchases([
      order({ order_id: 'o1', revenue: 50 }, T(10)),
      order({ order_id: 'o1', revenue: 999 }, T(12)),
      order({ order_id: 'o1', revenue: 50 }, T(11)),
    ]);
    expect(p).toMatchObject({ orders: 1, revenue: 50, firstOrderAt: T(10), lastOrderAt: T(10), averageDaysBetweenOrders: null });
  });

  it('matches numeric and string order ids, and counts each order without an id', () => {
    const p = purchases([order({ order_id: 7, revenue: 1 }), order({ order_id: '7', revenue: 1 }), order({ revenue: 2 }), order({ revenue: 3 })]);
    expect(p.orders).toBe(3);
    expect(p.revenue).toBe(6);
  });

  it('computes revenue, average order value and average days between orders', () => {
    const p = purchases([
      order({ order_id: 'a', revenue: 30, currency: 'eur' }, D(0)),
      order({ order_id: 'b', total: '60', currency: 'EUR' }, D(10)),
      order({ order_id: 'c', revenue: 90, currency: 'USD' }, D(30)),
    ]);
    expect(p).toMatchObject({
      orders: 3, revenue: 180, currency: 'EUR', averageOrderValue: 60,
      firstOrderAt: D(0), lastOrderAt: D(30), averageDaysBetweenOrders: 15,
    });
  });

  it('breaks a currency tie by code and reports null without any', () => {
    expect(purchases([order({ currency: 'USD' }), order({ currency: 'EUR' })]).currency).toBe('EUR');
    expect(purchases([order({})]).currency).toBeNull();
  });

  it('lists products by quantity with revenue, and categories by quantity', () => {
    const p = purchases([
      order({ order_id: 'a', products: [
        { product_id: 'p1', name: 'Boot', price: 100, quantity: 1, category: 'Shoes' },
        { sku: 'S-2', name: 'Sock', price: 5, quantity: 4, category: 'Socks' },
      ] }, T(1)),
      order({ order_id: 'b', products: [
        { product_id: 'p1', name: 'Boot v2', price: 90, category: 'Shoes' },
        { name: 'Lace', price: '2', quantity: '2', category: 'Shoes' },
        { price: 1 },
      ] }, T(2)),
    ]);
    expect(p.products).toEqual([
      { id: 'S-2', name: 'Sock', count: 4, revenue: 20 },
      { id: 'Lace', name: 'Lace', count: 2, revenue: 4 },
      { id: 'p1', name: 'Boot v2', count: 2, revenue: 190 },
    ]);
    expect(p.categories).toEqual([{ value: 'Shoes', count: 4 }, { value: 'Socks', count: 4 }]);
  });

  it('ignores other events and is empty without orders', () => {
    expect(purchases([track('Order Updated', { revenue: 5 }), track('Checkout Started', { revenue: 5 })])).toEqual({
      orders: 0, revenue: 0, currency: null, averageOrderValue: null, firstOrderAt: null, lastOrderAt: null,
      averageDaysBetweenOrders: null, products: [], categories: [],
    });
  });
});
