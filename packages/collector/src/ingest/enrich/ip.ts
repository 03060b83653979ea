/**
 * IPs are personal data, so a raw address is never stored: it is dropped or truncated to
 * a network prefix that still supports coarse geo and abuse analysis.
 * Plain string parsing (no node:net) keeps this usable on Cloudflare Workers.
 */
export type IpMode = 'drop' | 'truncate';

interface HeaderSource {
  get(name: string): string | null;
}

type Parsed = { v: 4; parts: number[] } | { v: 6; groups: number[] };

export function storedIp(ip: string | null | undefined, mode: IpMode): string | null {
  if (mode === 'drop' || typeof ip !== 'string') return null;
  const parsed = parseIp(ip);
  if (parsed === null) return null;
  if (parsed.v === 4) return `${parsed.parts.slice(0, 3).join('.')}.0`;
  const g = parsed.groups.map((n) => n.toString(16));
  return `${g[0]}:${g[1]}:${g[2]}::`;
}

/**
 * The first edge header present decides, even when it says "unknown": behind Cloudflare,
 * CF-IPCountry is always set, so falling through would let a client-forged
 * X-Vercel-IP-Country win.
 */
export function countryFromHeaders(headers: HeaderSource): string | null {
  for (const name of ['CF-IPCountry', 'X-Vercel-IP-Country', 'CloudFront-Viewer-Country']) {
    const value = headers.get(name)?.trim();
    if (!value) continue;
    const code = value.toUpperCase();
    // XX = unknown, T1 = Tor exit: neither is a country.
    if (!/^[A-Z]{2}$/.test(code) || code === 'XX') return null;
    return code;
  }
  return null;
}

/**
 * Which header is trustworthy depends on the deployment (only the edge in front of us may
 * set it); this picks the conventional order and skips values that are not addresses.
 */
export function clientIpFromHeaders(headers: HeaderSource): string | null {
  const candidates = [
    headers.get('CF-Connecting-IP'),
    headers.get('X-Forwarded-For')?.split(',')[0] ?? null,
    headers.get('X-Real-IP'),
  ];
  for (const candidate of candidates) {
    if (candidate === null) continue;
    const address = stripDecorations(candidate);
    if (address !== null && parseIp(address) !== null) return address;
  }
  return null;
}

// Proxies may add brackets, a port or a zone id ("[fe80::1%eth0]:443", "1.2.3.4:80").
function stripDecorations(raw: string): string | null {
  let s = raw.trim();
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(s);
  if (bracketed?.[1]) s = bracketed[1];
  else if (/^[\d.]+:\d+$/.test(s)) s = s.slice(0, s.lastIndexOf(':'));
  s = s.replace(/%.*$/, '');
  return s === '' ? null : s.toLowerCase();
}

function parseIp(raw: string): Parsed | null {
  const s = stripDecorations(raw);
  if (s === null) return null;
  if (!s.includes(':')) {
    const parts = parseV4(s);
    return parts ? { v: 4, parts } : null;
  }
  const groups = parseV6(s);
  if (groups === null) return null;
  // ::ffff:a.b.c.d is an IPv4 client seen through a dual-stack socket; truncate it as IPv4.
  if (groups.slice(0, 5).every((n) => n === 0) && groups[5] === 0xffff) {
    const hi = groups[6] ?? 0;
    const lo = groups[7] ?? 0;
    return { v: 4, parts: [hi >> 8, hi & 0xff, lo >> 8, lo & 0xff] };
  }
  return { v: 6, groups };
}

function parseV4(s: string): number[] | null {
  const parts = s.split('.');
  if (parts.length !== 4) return null;
  const nums: number[] = [];
  for (const part of parts) {
    // Leading zeros are rejected: some parsers read them as octal, so the meaning is ambiguous.
    if (!/^(0|[1-9]\d{0,2})$/.test(part)) return null;
    const n = Number(part);
    if (n > 255) return null;
    nums.push(n);
  }
  return nums;
}

function parseV6(s: string): number[] | null {
  const halves = s.split('::');
  if (halves.length > 2) return null;
  const head = halves[0] ? halves[0].split(':') : [];
  const tail = halves.length === 2 && halves[1] ? halves[1].split(':') : [];
  const groups: number[] = [];
  const all = [...head, ...tail];
  for (let i = 0; i < all.length; i++) {
    const part = all[i] ?? '';
    // An embedded IPv4 may only end the address ("::ffff:1.2.3.4", not "1.2.3.4::").
    const endsAddress = i === all.length - 1 && (halves.length === 1 || tail.length > 0);
    if (endsAddress && part.includes('.')) {
      const v4 = parseV4(part);
      if (v4 === null) return null;
      groups.push(((v4[0] ?? 0) << 8) | (v4[1] ?? 0), ((v4[2] ?? 0) << 8) | (v4[3] ?? 0));
    } else if (/^[0-9a-f]{1,4}$/.test(part)) {
      groups.push(parseInt(part, 16));
    } else {
      return null;
    }
  }
  if (halves.length === 1) return groups.length === 8 ? groups : null;
  // "::" stands for at least one zero group.
  if (groups.length > 7) return null;
  const headCount = head.length;
  const missing = 8 - groups.length;
  const headGroups = groups.slice(0, headCount);
  return [...headGroups, ...new Array<number>(missing).fill(0), ...groups.slice(headCount)];
}
