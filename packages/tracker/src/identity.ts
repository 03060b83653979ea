// Who the visitor is: a random anonymous id, and the user id once identify() names them.
import { get, set } from './storage';

const ANON = 'vista_id';
const USER = 'vista_uid';

/**
 * A random v4 UUID: crypto.randomUUID in secure contexts; elsewhere the one every blob URL ends
 * with (browsers make it with their CSPRNG), much shorter than a getRandomValues formatter.
 */
export const uuid = (): string => crypto.randomUUID?.() ?? URL.createObjectURL(new Blob()).slice(-36);

/** The anonymous id, created on first use. */
export function anonymousId(): string {
  let id = get(ANON);
  if (!id) set(ANON, (id = uuid()));
  return id;
}

/** Starts with a given id (cross-domain link) or re-writes the known one to both cookie and localStorage. */
export const initIdentity = (adopted?: string): void => set(ANON, adopted || anonymousId());

export const userId = (): string | undefined => get(USER) || undefined;

export const setUserId = (id: string | null): void => set(USER, id);

/** reset(): a new anonymous id and no user. */
export function resetIdentity(): void {
  set(ANON, uuid());
  set(USER, null);
}
