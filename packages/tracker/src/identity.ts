// Who the visitor is: a random anonymous id, and the user id once identify() names them.
import { get, set } from './storage';

// Keys (written out where used: that is smaller once gzipped): vista_i the anonymous id, vista_u
// the user id.

/**
 * A random v4 UUID: crypto.randomUUID in secure contexts; elsewhere the one every blob URL ends
 * with (browsers make it with their CSPRNG), much shorter than a getRandomValues formatter. The
 * URL of an empty blob is never revoked: a few bytes per event, until the page goes.
 */
export const uuid = (): string => crypto.randomUUID?.() ?? URL.createObjectURL(new Blob()).slice(-36);

/** The anonymous id, created on first use. */
export const anonymousId = (): string => get('vista_i') || (set('vista_i', uuid()), get('vista_i')!);
