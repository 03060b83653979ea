import { cors } from 'hono/cors';
import type { KeyOwner } from '../db/tenancy.ts';
import { HttpError } from './errors.ts';

/**
 * Preflights carry no key, so they are answered for any origin; the source's allowed origins
 * are enforced on the real request (`assertOriginAllowed`).
 */
export function ingestCors() {
  return cors({
    origin: (origin) => origin || '*',
    allowMethods: ['GET', 'POST', 'OPTIONS'],
    allowHeaders: ['Authorization', 'Content-Type', 'Content-Encoding', 'X-Retry-Count'],
    maxAge: 86_400,
  });
}

/** Requests without an Origin header come from servers, which no origin list restricts. */
export function assertOriginAllowed(owner: KeyOwner, origin: string | undefined): void {
  if (!origin || owner.allowedOrigins.length === 0) return;
  if (owner.allowedOrigins.includes(origin)) return;
  throw new HttpError(403, 'origin_not_allowed', `origin ${origin} may not send to this source`);
}
