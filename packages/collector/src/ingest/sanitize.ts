/**
 * PostgreSQL text and jsonb reject NUL characters and lone UTF-16 surrogates, which JSON
 * allows. One such string would fail a whole group commit, so they are cleaned at the door.
 */
const SUSPECT = /\\u0000|\\ud[89a-f]/i;

export function needsSanitizing(rawJson: string): boolean {
  return SUSPECT.test(rawJson);
}

export function sanitizeJson(value: unknown): unknown {
  if (typeof value === 'string') return value.toWellFormed().replaceAll('\u0000', '');
  if (Array.isArray(value)) return value.map(sanitizeJson);
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) out[sanitizeJson(key) as string] = sanitizeJson(item);
    return out;
  }
  return value;
}
