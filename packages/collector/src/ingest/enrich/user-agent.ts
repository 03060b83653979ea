import { UAParser } from 'ua-parser-js';

/** Segment's `context.userAgentData` (navigator.userAgentData.getHighEntropyValues output). */
export interface ClientHints {
  brands?: { brand: string; version: string }[];
  fullVersionList?: { brand: string; version: string }[];
  mobile?: boolean;
  platform?: string;
  platformVersion?: string;
  model?: string;
  architecture?: string;
  bitness?: string;
}

export interface DeviceInfo {
  browser: string | null;
  browserVersion: string | null;
  engine: string | null;
  os: string | null;
  osVersion: string | null;
  deviceType: 'desktop' | 'mobile' | 'tablet' | 'smarttv' | 'console' | 'wearable' | 'xr' | 'embedded' | null;
  deviceVendor: string | null;
  deviceModel: string | null;
}

// A few hundred UAs make up nearly all traffic, so a small cache absorbs most parses.
const CACHE_LIMIT = 2_000;
// ua-parser itself ignores input past 500 chars; cutting here also bounds cache key memory.
const UA_MAX_LENGTH = 500;
const HINT_MAX_LENGTH = 100;
const GREASE = /not.?a.?brand/i;

const DEVICE_TYPES = new Set<DeviceInfo['deviceType']>(['mobile', 'tablet', 'smarttv', 'console', 'wearable', 'xr', 'embedded']);

const cache = new Map<string, DeviceInfo>();

export function userAgentCacheSize(): number {
  return cache.size;
}

export function parseUserAgent(userAgent: string | undefined, hints?: ClientHints): DeviceInfo {
  const ua = (userAgent ?? '').trim().slice(0, UA_MAX_LENGTH);
  const headers = hints ? hintsToHeaders(hints) : {};
  // Headers are derived only from the hint fields ua-parser reads, so equal keys mean equal results.
  const key = `${ua}\n${JSON.stringify(headers)}`;
  const cached = cache.get(key);
  if (cached) {
    // Re-insert to mark as most recently used (Map keeps insertion order).
    cache.delete(key);
    cache.set(key, cached);
    // Copies keep a caller's mutation from leaking into every later hit.
    return { ...cached };
  }
  const info = parse(ua, headers);
  cache.set(key, { ...info });
  if (cache.size > CACHE_LIMIT) {
    const oldest = cache.keys().next();
    if (!oldest.done) cache.delete(oldest.value);
  }
  return info;
}

function parse(ua: string, headers: Record<string, string>): DeviceInfo {
  const empty: DeviceInfo = {
    browser: null, browserVersion: null, engine: null, os: null, osVersion: null,
    deviceType: null, deviceVendor: null, deviceModel: null,
  };
  if (ua === '' && Object.keys(headers).length === 0) return empty;

  const base = new UAParser(ua, headers).getResult();
  // Outside a browser (Node, Workers) ua-parser applies the passed headers synchronously;
  // a Promise would mean it is reading a real navigator instead, which is not our client.
  const refined = Object.keys(headers).length > 0 ? base.withClientHints() : base;
  const r = refined instanceof Promise || !isResult(refined) ? base : refined;

  const browser = text(r.browser.name);
  const os = text(r.os.name);
  let deviceType = DEVICE_TYPES.has(r.device.type as DeviceInfo['deviceType'])
    ? (r.device.type as DeviceInfo['deviceType'])
    : null;
  // ua-parser leaves desktops untyped; a recognised browser or OS without a type is a desktop.
  if (deviceType === null && (browser !== null || os !== null)) deviceType = 'desktop';

  return {
    browser,
    browserVersion: text(r.browser.version),
    engine: text(r.engine.name),
    os,
    osVersion: text(r.os.version),
    deviceType,
    deviceVendor: text(r.device.vendor),
    deviceModel: text(r.device.model),
  };
}

function isResult(value: unknown): value is UAParser.IResult {
  return typeof value === 'object' && value !== null && 'browser' in value && 'os' in value && 'device' in value;
}

function text(value: string | undefined): string | null {
  return value === undefined || value.trim() === '' ? null : value;
}

/**
 * ua-parser only accepts client hints as Sec-CH-UA-* HTTP headers when not running in a
 * browser, so the JS object is serialised to that structured-header form.
 */
function hintsToHeaders(hints: ClientHints): Record<string, string> {
  const headers: Record<string, string> = {};
  const brands = brandList(hints.brands);
  const fullList = brandList(hints.fullVersionList);
  if (brands) headers['sec-ch-ua'] = brands;
  if (fullList) headers['sec-ch-ua-full-version-list'] = fullList;
  if (hints.mobile === true) headers['sec-ch-ua-mobile'] = '?1';
  const strings: [keyof ClientHints, string][] = [
    ['platform', 'sec-ch-ua-platform'],
    ['platformVersion', 'sec-ch-ua-platform-version'],
    ['model', 'sec-ch-ua-model'],
    ['architecture', 'sec-ch-ua-arch'],
    ['bitness', 'sec-ch-ua-bitness'],
  ];
  for (const [field, header] of strings) {
    const value = hints[field];
    if (typeof value !== 'string') continue;
    const clean = sanitize(value);
    if (clean !== '') headers[header] = `"${clean}"`;
  }
  return headers;
}

function brandList(list: ClientHints['brands']): string | null {
  if (!Array.isArray(list)) return null;
  const parts: string[] = [];
  for (const entry of list) {
    // Payloads are client-supplied JSON; skip malformed entries rather than trusting the type.
    if (typeof entry?.brand !== 'string' || typeof entry.version !== 'string') continue;
    const brand = sanitize(entry.brand);
    if (brand === '' || GREASE.test(brand)) continue;
    parts.push(`"${brand}";v="${sanitize(entry.version)}"`);
  }
  return parts.length > 0 ? parts.join(', ') : null;
}

// Quotes, commas and semicolons would break ua-parser's naive structured-header split.
function sanitize(value: string): string {
  return value.replace(/["\\,;]/g, ' ').replace(/\s+/g, ' ').trim().slice(0, HINT_MAX_LENGTH);
}
