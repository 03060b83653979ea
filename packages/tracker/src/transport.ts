// Delivery: batches of at most 64 KB (the keepalive limit) POSTed as text/plain (no CORS preflight)
// with fetch + keepalive, sendBeacon where fetch fails; on page hide the reverse order. Failures
// retry with exponential backoff and jitter.
import { done, pending } from './queue';
import type { Message } from './types';

/** Bytes allowed for one request body: browsers cap in-flight keepalive bodies at 64 KiB. */
export const LIMIT = 65536;

let url = '';
let at = 20;
let every = 1000;
let allowed = (): unknown => 1;
let busy = 0;
let fails = 0;
let timer: ReturnType<typeof setTimeout> | undefined | 0;

/** Splits messages into `{batch, sentAt}` bodies of at most `limit` UTF-8 bytes (a single larger message goes alone). */
export function bodies(items: Message[], sentAt: string, limit = LIMIT): [Message[], string][] {
  const out: [Message[], string][] = [];
  let batch: Message[] = [];
  let n = 0;
  const body = (): string => JSON.stringify({ batch, sentAt });
  for (const m of items) {
    m.sentAt = sentAt;
    const s = new Blob([JSON.stringify(m)]).size + 1;
    if (batch.length && n + s > limit) {
      out.push([batch, body()]);
      batch = [];
    }
    if (!batch.length) n = new Blob([body()]).size;
    batch.push(m);
    n += s;
  }
  if (batch.length) out.push([batch, body()]);
  return out;
}

/** Milliseconds before retry number `n` (from 0): doubling from 1 s up to a minute, jittered down by up to half. */
export const backoff = (n: number, r = Math.random()): number => Math.min(6e4, 1e3 * 2 ** n) * (1 - r / 2);

/** Whether the answer settles the batch: 2xx, or a 4xx that a retry cannot fix. */
export const settled = (status: number): boolean => status < 500 && status != 408 && status != 429;

export function initTransport(endpoint: string, flushAt: number, flushInterval: number, canSend: () => unknown): void {
  url = endpoint;
  at = flushAt;
  every = flushInterval;
  allowed = canSend;
}

const beacon = (batch: Message[], body: string): unknown => navigator.sendBeacon?.(url, body) && (done(batch, 1), 1);

/** fetch, else sendBeacon; resolves whether the batch left the queue. */
const post = (batch: Message[], body: string): Promise<unknown> =>
  fetch(url, { method: 'POST', body, keepalive: true }).then(
    (r) => settled(r.status) && (done(batch), 1),
    () => beacon(batch, body),
  );

const ready = (): unknown => pending.length && allowed();

/** Sends the next batch now; the rest follow once it is acknowledged; failures retry later. */
export function flush(): void {
  clearTimeout(timer);
  timer = 0;
  if (busy || !ready()) return;
  busy = 1;
  const [batch, body] = bodies(pending, new Date().toISOString())[0]!;
  post(batch, body).then((ok) => {
    busy = 0;
    if (ok) {
      fails = 0;
      flush();
    } else timer = setTimeout(flush, backoff(fails++));
  });
}

/** After an event is queued: flush when enough wait, else within flushInterval. */
export function schedule(): void {
  if (pending.length >= at) flush();
  else timer ||= setTimeout(flush, every);
}

/** Page hidden or left: everything goes now, by beacon first (fetch when the beacon is refused). */
export function flushHidden(): void {
  if (ready()) for (const [batch, body] of bodies(pending, new Date().toISOString())) beacon(batch, body) || post(batch, body);
}
