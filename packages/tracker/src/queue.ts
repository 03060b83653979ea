// The outgoing queue. It is mirrored to localStorage so events survive a reload, a crash or an
// outage, and leaves storage only when the collector acknowledged them. Events handed to
// sendBeacon (no acknowledgement possible) stay stored and are sent again on the next page load;
// the collector drops the duplicates by messageId.
import { get, set } from './storage';
import type { Message } from './types';

const KEY = 'vista_q';

/** Waiting to be sent. */
export let pending: Message[] = [];
/** Sent without acknowledgement (beacons): kept in storage only. */
let unacked: Message[] = [];
let max = 200;

/** The newest `n` items: the persisted queue is bounded and drops its oldest events. */
export const bound = <T>(items: T[], n: number): T[] => items.slice(-n);

/** Loads what earlier pages left unsent. */
export function loadQueue(maxQueue: number): void {
  max = maxQueue;
  pending = JSON.parse(get(KEY) || '[]');
}

/** Replaces both lists and mirrors them to storage. */
function save(p: Message[], u: Message[]): void {
  pending = bound(p, max);
  unacked = u;
  set(KEY, p.length + u.length ? JSON.stringify(bound([...u, ...pending], max)) : null);
}

export const enqueue = (m: Message): void => save([...pending, m], unacked);

/** The collector answered for `batch`; or, with `beaconed`, it went out unacknowledged. */
export function done(batch: Message[], beaconed?: unknown): void {
  const gone = (m: Message): boolean => !batch.includes(m);
  save(pending.filter(gone), beaconed ? [...unacked, ...batch] : unacked.filter(gone));
}

/** Forgets every queued event (consent denied, opt-out). */
export const drop = (): void => save([], []);
