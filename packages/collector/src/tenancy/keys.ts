const ALPHABET = '0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ';

/** Random base62 text from the platform CSPRNG (Web Crypto: Node and Workers alike). */
export function randomToken(length: number): string {
  const bytes = crypto.getRandomValues(new Uint8Array(length));
  let out = '';
  // 62 does not divide 256; the bias (<0.5%) does not matter for 190+ bit keys.
  for (const byte of bytes) out += ALPHABET[byte % 62];
  return out;
}

export type KeyKind = 'write' | 'secret';

const PREFIX: Record<KeyKind, string> = { write: 'vw_', secret: 'vs_' };

export function newKey(kind: KeyKind): string {
  return PREFIX[kind] + randomToken(kind === 'write' ? 32 : 40);
}

export function newId(prefix: 'ws' | 'src'): string {
  return `${prefix}_${randomToken(16)}`;
}

/** Keys are stored as SHA-256 hex; high-entropy keys need no slow hash. */
export async function hashKey(key: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(key));
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, '0')).join('');
}

/** Enough of a key to tell keys apart in a listing without revealing them. */
export function keyHint(key: string): string {
  return `${key.slice(0, 7)}…`;
}
