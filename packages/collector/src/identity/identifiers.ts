/** R6: values that clients send when they have no real id; they must never join people. */
const BLOCKED = new Set([
  '', 'null', 'undefined', 'none', 'nil', 'nan', 'anonymous', 'guest', 'unknown', 'id', 'user_id',
  'userid', 'email', 'not_authenticated', 'true', 'false', '[object object]', '-1',
]);
const ZEROS = /^[0-]*$/;

function unquoted(value: string): string {
  const v = value.trim();
  const q = v[0];
  return v.length >= 2 && (q === '"' || q === "'") && v[v.length - 1] === q ? v.slice(1, -1).trim() : v;
}

export type BlockedMatcher = (value: string) => boolean;

/** Workspace-configured blocked values: exact strings, or `/pattern/flags` regexes. */
export function blockedMatcher(configured: readonly string[] = []): BlockedMatcher {
  const exact = new Set<string>();
  const patterns: RegExp[] = [];
  for (const entry of configured) {
    const regex = /^\/(.+)\/([a-z]*)$/.exec(entry);
    if (regex) {
      try {
        patterns.push(new RegExp(regex[1]!, regex[2]));
        continue;
      } catch {
        // Not a valid regex: treat it as the exact string it is.
      }
    }
    exact.add(entry.trim());
  }
  return (value) => {
    const v = unquoted(value);
    if (BLOCKED.has(v.toLowerCase()) || ZEROS.test(v)) return true;
    return exact.has(value.trim()) || exact.has(v) || patterns.some((p) => p.test(value.trim()));
  };
}

/** R5 for email: trimmed, lower-cased, at most 255 characters, and shaped like an address. */
export function normaliseEmail(value: unknown): string | null {
  if (typeof value !== 'string') return null;
  const email = value.trim().toLowerCase();
  return email.length > 0 && email.length <= 255 && /^[^\s@]+@[^\s@]+$/.test(email) ? email : null;
}
