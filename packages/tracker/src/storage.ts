// Where the tracker keeps state: a first-party cookie plus localStorage, each restoring the other
// when one is cleared; or memory only (cookieless mode, and before consent). Never throws, since
// storage can be blocked (sandboxed iframes, strict privacy settings).
//
// Keys: vista_i anonymous id and vista_o opt-out (cookie and localStorage); vista_u user id,
// vista_s session and vista_q unsent events (localStorage only: size, and free-form values). Keys
// are written out where used rather than named constants: that is a few bytes smaller gzipped.

let persist: unknown;
let mem: Record<string, string | null> = {};

/** Reads storage itself: the cookie, else localStorage. */
export function read(k: string): string | null | undefined {
  try {
    return document.cookie.match(k + '=([^;]+)')?.[1] || localStorage[k];
  } catch {}
}

/** Writes storage itself (null removes). Cookie values are ids: no encoding needed. */
export function write(k: string, v: string | null): void {
  try {
    if (/[io]$/.test(k)) document.cookie = k + '=' + v + ';path=/;max-age=' + (v ? 4e7 : 0);
    localStorage[v ? 'setItem' : 'removeItem'](k, v!);
  } catch {}
}

/** Storage when persisting (so other tabs' updates are seen), else (or when cleared) memory. */
export const get = (k: string): string | null | undefined => ((persist && read(k)) as string) || mem[k];

/** A stored JSON value (undefined when absent or unreadable). */
export function getJSON<T>(k: string): T | undefined {
  try {
    return JSON.parse(get(k)!);
  } catch {}
}

export function set(k: string, v: string | null): void {
  mem[k] = v;
  if (persist) write(k, v);
}

/** Starts or stops persisting; starting writes what was kept in memory meanwhile. */
export function setPersist(on: unknown): void {
  if ((persist = on)) for (const k in mem) write(k, mem[k]!);
}

/**
 * Forgets everything the tracker stored (but the opt-out flag), in storage and memory. The caller
 * stops persisting (setPersist) right after.
 */
export function wipe(): void {
  mem = {};
  for (const c of 'iusq') write('vista_' + c, null);
}
