/** Arrays and null are not records: payload fields that must be objects are checked with this. */
export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Blank strings carry no information, so every dimension treats them like null. */
export function text(v: unknown): string | null {
  if (typeof v !== 'string') return null;
  const t = v.trim();
  return t === '' ? null : t;
}

/** Ecommerce ids arrive as strings or numbers depending on the library; 123 and "123" are one id. */
export function toId(v: unknown): string | null {
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : null;
  return text(v);
}

// Plain decimal notation only: Number() would also accept "", "0x1F" and "Infinity".
const NUMERIC = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;

/** Amounts may be numbers or numeric strings; anything else is treated as absent. */
export function toNumber(v: unknown): number | null {
  if (typeof v === 'number') return Number.isFinite(v) ? v : null;
  if (typeof v !== 'string') return null;
  const t = v.trim();
  if (!NUMERIC.test(t)) return null;
  const n = Number(t);
  return Number.isFinite(n) ? n : null;
}

/** Key-order independent serialisation, used only to pick deterministically between two payloads. */
export function stableJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(stableJson).join(',')}]`;
  if (isRecord(v)) {
    const keys = Object.keys(v).filter((k) => v[k] !== undefined).sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${stableJson(v[k])}`).join(',')}}`;
  }
  return JSON.stringify(v) ?? 'null';
}

/** The Segment ecommerce `products` array, keeping only its object entries. */
export function productsOf(properties: Record<string, unknown> | null): Record<string, unknown>[] {
  const products = properties?.products;
  return Array.isArray(products) ? products.filter(isRecord) : [];
}

/**
 * A plain-JSON copy: stored facts must not share objects with the caller's events, and must
 * read back from JSON exactly as built (no undefined, NaN or exotic prototypes).
 */
export function plainJson(v: unknown): unknown {
  if (v === null || typeof v === 'string' || typeof v === 'boolean') return v;
  if (typeof v === 'number') return Number.isFinite(v) ? v : null;
  if (Array.isArray(v)) return v.map(plainJson);
  if (typeof v === 'object') {
    return Object.fromEntries(Object.entries(v).filter(([, x]) => x !== undefined).map(([k, x]) => [k, plainJson(x)]));
  }
  return null;
}
