import type { Timed } from './canonical.ts';
import { byCountThenValue, Counter } from './tally.ts';
import type { ProductBought, Purchases, ValueCount } from './types.ts';
import { productsOf, text, toId, toNumber } from './values.ts';

export const DAY_MS = 24 * 60 * 60 * 1000;

export function isOrder({ event }: Timed): boolean {
  return event.type === 'track' && event.event === 'Order Completed';
}

/**
 * One event per order: a thank-you page reloaded, or the same order sent by the browser and
 * the server, must not count twice. The first report (canonical order) is the order; later
 * ones with the same order_id are echoes. Orders without an order_id cannot be matched, so
 * each counts. `seen` holds the order ids already counted by an earlier fold and gains the new.
 */
export function distinctOrders(events: readonly Timed[], seen: Set<string> = new Set()): Timed[] {
  return events.filter((at) => {
    if (!isOrder(at)) return false;
    const id = toId(at.event.properties?.order_id);
    if (id === null) return true;
    if (seen.has(id)) return false;
    seen.add(id);
    return true;
  });
}

/** Segment's `quantity` defaults to 1 when absent or unreadable. */
function quantityOf(product: Record<string, unknown>): number {
  return toNumber(product.quantity) ?? 1;
}

function lineRevenue(product: Record<string, unknown>): number | null {
  const price = toNumber(product.price);
  return price === null ? null : price * quantityOf(product);
}

/** revenue ?? total ?? Σ price×quantity, where an unreadable amount counts as absent. */
export function orderRevenue(properties: Record<string, unknown> | null): number {
  const stated = toNumber(properties?.revenue) ?? toNumber(properties?.total);
  if (stated !== null) return stated;
  let sum = 0;
  for (const p of productsOf(properties)) sum += lineRevenue(p) ?? 0;
  return sum;
}

/** What a purchase fold carries beyond the facts: every currency's count, so the top can change. */
export interface PurchaseFold {
  purchases: Purchases;
  currencies: ValueCount[];
}

export const NO_PURCHASES: PurchaseFold = {
  purchases: {
    orders: 0, revenue: 0, currency: null, averageOrderValue: null, firstOrderAt: null, lastOrderAt: null,
    averageDaysBetweenOrders: null, products: [], categories: [],
  },
  currencies: [],
};

/**
 * `orders` must come from distinctOrders (canonical order), which also fixes the order of
 * the floating-point sums; `prior` is an earlier fold over orders that all sort before these,
 * so continuing it adds the same amounts in the same order as one fold over all of them.
 * Currencies are not converted: revenue adds amounts as sent, and `currency` says which one dominates.
 */
export function foldPurchases(orders: readonly Timed[], prior: PurchaseFold = NO_PURCHASES): PurchaseFold {
  const before = prior.purchases;
  let revenue = before.revenue;
  const currencies = Counter.from(prior.currencies);
  const categories = Counter.from(before.categories);
  const products = new Map<string, ProductBought>(before.products.map((p) => [p.id, { ...p }]));
  for (const { event } of orders) {
    const props = event.properties;
    revenue += orderRevenue(props);
    currencies.add(text(props?.currency)?.toUpperCase() ?? null);
    for (const p of productsOf(props)) {
      const quantity = quantityOf(p);
      categories.add(text(p.category), quantity);
      const id = toId(p.product_id) ?? toId(p.sku) ?? text(p.name);
      if (id === null) continue;
      const row = products.get(id) ?? { id, name: null, count: 0, revenue: 0 };
      // The latest name wins, as with a trait: catalogues rename products.
      row.name = text(p.name) ?? row.name;
      row.count += quantity;
      row.revenue += lineRevenue(p) ?? 0;
      products.set(id, row);
    }
  }
  return {
    purchases: purchasesOf({
      orders: before.orders + orders.length,
      revenue,
      firstOrderAt: before.firstOrderAt ?? orders[0]?.iso ?? null,
      lastOrderAt: orders.at(-1)?.iso ?? before.lastOrderAt,
      products: [...products.values()],
      categories: categories.list(),
    }, currencies),
    currencies: currencies.list(),
  };
}

/** What is stored of the purchases; the rest is derived by purchasesOf, for a build and a read alike. */
export type PurchaseTotals = Pick<Purchases, 'orders' | 'revenue' | 'firstOrderAt' | 'lastOrderAt' | 'products' | 'categories'>;

export function purchasesOf(t: PurchaseTotals, currencies: Counter): Purchases {
  const n = t.orders;
  return {
    orders: n,
    revenue: t.revenue,
    currency: currencies.top(),
    averageOrderValue: n === 0 ? null : t.revenue / n,
    firstOrderAt: t.firstOrderAt,
    lastOrderAt: t.lastOrderAt,
    averageDaysBetweenOrders: t.firstOrderAt !== null && t.lastOrderAt !== null && n >= 2
      ? (Date.parse(t.lastOrderAt) - Date.parse(t.firstOrderAt)) / (n - 1) / DAY_MS : null,
    products: [...t.products].sort(byCountThenValue((p) => p.id)),
    categories: t.categories,
  };
}

export function buildPurchases(orders: readonly Timed[]): Purchases {
  return foldPurchases(orders).purchases;
}
