import type { z } from 'zod';
import { HttpError } from '../errors.ts';

/** Validates query parameters; the 400 names the first bad parameter. */
export function parseQuery<T extends z.ZodType>(schema: T, input: unknown): z.output<T> {
  const parsed = schema.safeParse(input);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  const field = issue.path.join('.');
  throw new HttpError(400, 'invalid_query', field ? `${field}: ${issue.message}` : issue.message, { field: field || null });
}

/** Cursors are opaque to clients: base64url JSON of the position after which the next page starts. */
export function encodeCursor(position: object): string {
  return btoa(JSON.stringify(position)).replaceAll('+', '-').replaceAll('/', '_').replace(/=+$/, '');
}

export function decodeCursor<T>(cursor: string, read: (value: Record<string, unknown>) => T): T {
  try {
    const value = JSON.parse(atob(cursor.replaceAll('-', '+').replaceAll('_', '/'))) as unknown;
    if (value !== null && typeof value === 'object') return read(value as Record<string, unknown>);
  } catch {
    // fall through to the 400 below
  }
  throw new HttpError(400, 'invalid_query', 'cursor: not a cursor from a previous page', { field: 'cursor' });
}
