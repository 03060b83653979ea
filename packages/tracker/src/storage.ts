// Where the tracker keeps state: a first-party cookie plus localStorage, each restoring the other
// when one is cleared; or memory only (cookieless mode, and before consent). Never throws, since
// storage can be blocked (sandboxed iframes, strict privacy settings).

/** Keys that stay out of cookies: too large (queue) or only needed by this browser (session). */
const LOCAL_ONLY = /_[qs]$/;

/** Every key the tracker writes, except the opt-out flag which must outlive a wipe. */
export const KEYS = ['vista_id', 'vista_uid', 'vista_s', 'vista_q', 'vista_c'];

let persist = false;
let cookieDomain = '';
let mem: Record<string, string> = {};

/** Reads storage itself: the cookie, else localStorage. */
export function read(k: string): string | null {
  try {
    const m = document.cookie.match('(^|; )' + k + '=([^;]*)');
    return m ? decodeURIComponent(m[2]!) : localStorage.getItem(k);
  } catch {
    return null;
  }
}

/** Writes storage itself (null removes). */
export function write(k: string, v: string | null): void {
  try {
    if (!LOCAL_ONLY.test(k))
      document.cookie =
        k + '=' + encodeURIComponent(v || '') + ';path=/;samesite=lax;max-age=' + (v ? 34560000 : 0) + (cookieDomain && ';domain=' + cookieDomain);
    v ? localStorage.setItem(k, v) : localStorage.removeItem(k);
  } catch {}
}

/** Storage when persisting (so another tab's updates are seen), memory otherwise or when cleared. */
export const get = (k: string): string | null => (persist && read(k)) || mem[k] || null;

export function set(k: string, v: string | null): void {
  if (v) mem[k] = v;
  else delete mem[k];
  if (persist) write(k, v);
}

/** Starts or stops persisting; starting writes what was kept in memory meanwhile. */
export function setPersist(on: boolean, domain = cookieDomain): void {
  persist = on;
  cookieDomain = domain;
  if (on) for (const k in mem) write(k, mem[k]!);
}

/** Forgets everything the tracker stored, in storage and memory, and stops persisting. */
export function wipe(): void {
  persist = false;
  mem = {};
  KEYS.forEach((k) => write(k, null));
}
