// The outgoing queue. It is mirrored to localStorage so events survive a reload, a crash or an
// outage, and an event leaves it only when the collector acknowledged it. Events handed to
// sendBeacon (which cannot tell) stay too and are sent again later; the collector drops the
// duplicates by messageId.
import { MAX } from './config';
import { getJSON, set } from './storage';
import type { Message } from './types';

/** Not yet acknowledged. */
export let pending: Message[] = [];

/** Loads what earlier pages left unacknowledged. */
export const loadQueue = (): unknown => (pending = getJSON('vista_q') || []);

export { MAX }; // defined in config.ts (see there why)

/** Replaces the queue (bounded) and mirrors it to storage. */
export const save = (items: Message[]): void => set('vista_q', JSON.stringify((pending = items.slice(-MAX))));

export const enqueue = (m: Message): void => save([...pending, m]);

/** The collector acknowledged `batch`. */
export const done = (batch: Message[]): void => save(pending.filter((m) => !batch.includes(m)));
