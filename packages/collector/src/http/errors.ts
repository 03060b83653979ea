import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';

export type ErrorCode =
  | 'invalid_json'
  | 'invalid_body'
  | 'invalid_query'
  | 'invalid_message'
  | 'missing_key'
  | 'invalid_key'
  | 'wrong_key_kind'
  | 'origin_not_allowed'
  | 'message_too_large'
  | 'batch_too_large'
  | 'unsupported_media_type'
  | 'unsupported_encoding'
  | 'not_found'
  | 'internal';

/** The one error type of the HTTP layer; `onError` turns it into `{error: {code, message}}`. */
export class HttpError extends Error {
  constructor(
    readonly status: ContentfulStatusCode,
    readonly code: ErrorCode,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = 'HttpError';
  }
}

/** SQLSTATE or error name only: driver messages embed query parameters (personal data). */
function safeDescription(error: unknown): string {
  const cause = (error as { cause?: { code?: unknown } }).cause;
  const code = (error as { code?: unknown }).code ?? cause?.code;
  const name = error instanceof Error ? error.name : typeof error;
  return typeof code === 'string' ? `${name} (SQLSTATE ${code})` : name;
}

export type ErrorLogger = (line: string) => void;

export function errorHandler(log: ErrorLogger = (line) => console.error(line)) {
  return (error: Error, c: Context) => {
    if (error instanceof HttpError) {
      return c.json({ error: { code: error.code, message: error.message, ...error.details } }, error.status);
    }
    log(`vista: ${c.req.method} ${c.req.path} failed: ${safeDescription(error)}`);
    return c.json({ error: { code: 'internal', message: 'internal error; the request was not stored' } }, 500);
  };
}

export function notFound(c: Context) {
  return c.json({ error: { code: 'not_found', message: `no route for ${c.req.method} ${c.req.path}` } }, 404);
}
