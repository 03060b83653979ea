// Who the visitor is: a random anonymous id, and the user id once identify() names them.
import { get, set } from './storage';

const ANON = 'vista_id';
const USER = 'vista_uid';

/** A v4 UUID: crypto.randomUUID in secure contexts, getRandomValues elsewhere. */
export const uuid = (): string =>
  crypto.randomUUID?.() ??
  '10000000-1000-4000-8000-100000000000'.replace(/[018]/g, (c) =>
    (+c ^ (crypto.getRandomValues(new Uint8Array(1))[0]! & (15 >> (+c / 4)))).toString(16),
  );

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
