// Delivery: batches of at most 64 KB (the keepalive limit) POSTed as text/plain (no CORS preflight)
// with fetch + keepalive, sendBeacon where fetch fails; on page hide the reverse order. Failures
// retry with exponential backoff and jitter. Nothing leaves before consent.
import { LIMIT, o } from './config';
import { Consent, consent } from './consent';
import { done, pending } from './queue';

export { LIMIT }; // defined in config.ts (see there why)

let busy: unknown;
let fails = 0;
let timer: ReturnType<typeof setTimeout> | undefined | 0;

/**
 * The first batch of `items` whose JSON takes at most `limit` UTF-8 bytes: the first half, and
 * so on, until it fits (a single larger message goes alone, for the collector to refuse).
 */
export function firstBatch<T>(items: T[], limit = LIMIT): T[] {
  while (items.length > 1 && new Blob([JSON.stringify(items)]).size > limit) items = items.slice(0, items.length / 2);
  return items;
}

/** Milliseconds before retry number `n` (from 0): doubling from 1 s up to a minute, jittered down by up to half. */
export const backoff = (n: number, r = Math.random()): number => Math.min(6e4, 1e3 * 2 ** n) * (1 - r / 2);

/** Whether the answer settles the batch: 2xx, or a 4xx that a retry cannot fix (all but 429). */
export const settled = (status: number): boolean => status < 500 && status != 429;

/**
 * Sends the first batch with fetch; the next follows when it is acknowledged. When fetch fails it
 * goes by sendBeacon, and stays queued for a retry (with backoff) all the same, since a beacon is
 * never acknowledged. `hidden` (page hidden or left): every batch goes at once by beacon, by fetch
 * when the beacon is refused; they stay queued for the next flush or the next page.
 */
export function flush(hidden?: unknown): void {
  clearTimeout(timer);
  timer = 0;
  // Write keys are URL-safe: the collector makes them.
  const url = (o.apiHost || '') + (o.ingestPath || '/v1/batch') + '?key=' + o.writeKey;
  let queue = pending;
  while (queue.length && consent == Consent.GRANTED && (hidden || !busy)) {
    const sentAt = new Date();
    const batch = firstBatch(queue);
    const body = JSON.stringify({ batch: batch.map((m) => ((m.sentAt = sentAt), m)), sentAt });
    queue = queue.slice(batch.length);
    if (!(hidden && navigator.sendBeacon(url, body))) {
      busy = 1;
      fetch(url, { method: 'POST', body, keepalive: true })
        .then((r) => settled(r.status) && (done(batch), 1), () => {
          navigator.sendBeacon(url, body);
        })
        .then((ok) => {
          busy = 0;
          if (ok) flush((fails = 0));
          else timer = setTimeout(flush, backoff(fails++));
        });
      if (!hidden) return;
    }
  }
}

/** After an event is queued: flush when enough wait, else within flushInterval. */
export function schedule(): void {
  if (pending.length >= (o.flushAt || 20)) flush();
  else timer ||= setTimeout(flush, o.flushInterval || 1e3);
}
