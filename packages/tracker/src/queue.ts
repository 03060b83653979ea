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
export const bound = <T>(items: T[], n: number): T[] => items.slice(-Math.max(n, 1));

/** Loads what earlier pages left unsent. */
export function loadQueue(maxQueue: number): void {
  max = maxQueue;
  try {
    pending = JSON.parse(get(KEY)!) || [];
  } catch {}
}

function save(): void {
  set(KEY, pending.length + unacked.length ? JSON.stringify(bound([...unacked, ...pending], max)) : null);
}

export function enqueue(m: Message): void {
  pending = bound([...pending, m], max);
  save();
}

/** The collector answered for `batch`; or, with `beaconed`, it went out unacknowledged. */
export function done(batch: Message[], beaconed?: boolean): void {
  const gone = (m: Message) => !batch.includes(m);
  pending = pending.filter(gone);
  unacked = beaconed ? [...unacked, ...batch] : unacked.filter(gone);
  save();
}

/** Forgets every queued event (consent denied, opt-out). */
export function drop(): void {
  pending = [];
  unacked = [];
  save();
}
