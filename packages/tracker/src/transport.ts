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
let allowed = (): boolean => true;
let busy = false;
let fails = 0;
let timer: ReturnType<typeof setTimeout> | undefined;

const size = (s: string): number => new TextEncoder().encode(s).length;

/** Splits messages into batches whose `{batch, sentAt}` body stays within `limit` bytes. */
export function chunks(items: Message[], limit = LIMIT): Message[][] {
  const out: Message[][] = [];
  let cur: Message[] = [];
  let n = 64; // envelope: {"batch":[],"sentAt":"..."}
  for (const m of items) {
    const s = size(JSON.stringify(m)) + 1;
    if (cur.length && n + s > limit) {
      out.push(cur);
      cur = [];
      n = 64;
    }
    cur.push(m);
    n += s;
  }
  if (cur.length) out.push(cur);
  return out;
}

/** Milliseconds before retry number `n` (from 0): doubling from 1 s up to a minute, jittered down by up to half. */
export const backoff = (n: number, r = Math.random()): number => Math.min(6e4, 1e3 * 2 ** n) * (1 - r / 2);

/** Whether the answer settles the batch: 2xx, or a 4xx that a retry cannot fix. */
export const settled = (status: number): boolean => status < 500 && status != 408 && status != 429;

export function initTransport(endpoint: string, flushAt: number, flushInterval: number, canSend: () => boolean): void {
  url = endpoint;
  at = flushAt;
  every = flushInterval;
  allowed = canSend;
}

/** Stamps sentAt (per message and per batch) and splits the pending queue into bodies. */
function bodies(): [Message[], string][] {
  const sentAt = new Date().toISOString();
  return chunks(pending.map((m) => ((m.sentAt = sentAt), m))).map((b) => [b, JSON.stringify({ batch: b, sentAt })]);
}

const beacon = (body: string): boolean => !!navigator.sendBeacon?.(url, body);

/** fetch, falling back to sendBeacon when fetch fails; resolves whether the batch left the queue. */
function post(batch: Message[], body: string): Promise<boolean> {
  return fetch(url, { method: 'POST', body, keepalive: true })
    .then(
      (r) => settled(r.status) && (done(batch), true),
      () => beacon(body) && (done(batch, true), true),
    );
}

/** Sends the next batch now; the rest follow once it is acknowledged. */
export function flush(): void {
  clearTimeout(timer);
  timer = undefined;
  if (busy || !pending.length || !allowed()) return;
  busy = true;
  const [[batch, body]] = bodies() as [[Message[], string]];
  post(batch, body).then((ok) => {
    busy = false;
    if (ok) {
      fails = 0;
      flush();
    } else timer = setTimeout(flush, backoff(fails++));
  });
}

/** Called after an event is queued: flush when enough wait, else within flushInterval. */
export function schedule(): void {
  if (pending.length >= at) flush();
  else timer ||= setTimeout(flush, every);
}

/** Page hidden or left: everything goes now, by beacon first (fetch when the beacon is refused). */
export function flushHidden(): void {
  if (!allowed()) return;
  for (const [batch, body] of bodies()) if (beacon(body)) done(batch, true);
  else post(batch, body);
}
