import type { Message } from '../ingest/messages/index.ts';
import { normaliseEmail, type BlockedMatcher } from './identifiers.ts';

export interface IdentityPolicy {
  emailIdentity: boolean;
  isBlocked: BlockedMatcher;
}

export interface CleanIdentifiers {
  anonymousId: string | null;
  userId: string | null;
  previousId: string | null;
  email: string | null;
  /** Some identifier was blocked (R6) and dropped: the sender gets a warning. */
  blocked: boolean;
  /** R7: nothing valid is left to attach the message to. */
  rejected: boolean;
}

/** Applies R5-R8 to one validated message: which of its identifiers may act as identifiers. */
export function cleanIdentifiers(message: Message, policy: IdentityPolicy): CleanIdentifiers {
  let blocked = false;
  const keep = (value: string | null | undefined): string | null => {
    if (value === null || value === undefined || value === '') return null;
    if (policy.isBlocked(value)) {
      blocked = true;
      return null;
    }
    return value;
  };
  const anonymousId = keep(message.anonymousId);
  const userId = keep(message.userId);
  const previousId = message.type === 'alias' ? keep(message.previousId) : null;
  const traits = message.type === 'identify' ? message.traits : undefined;
  const rawEmail = policy.emailIdentity ? normaliseEmail(traits?.email) : null;
  const email = keep(rawEmail);
  const rejected = message.type === 'alias' ? !userId || !previousId : !userId && !anonymousId;
  return { anonymousId, userId, previousId, email, blocked, rejected };
}
