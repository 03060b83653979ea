import type { WorkspaceSettings } from '../db/schema.ts';
import type { IdentityPolicy } from './clean.ts';
import { blockedMatcher } from './identifiers.ts';

const cache = new WeakMap<WorkspaceSettings, IdentityPolicy>();

/** The workspace's identity rules; settings objects are cached with their key, so is this. */
export function identityPolicy(settings: WorkspaceSettings): IdentityPolicy {
  let policy = cache.get(settings);
  if (!policy) {
    policy = { emailIdentity: settings.emailIdentity ?? true, isBlocked: blockedMatcher(settings.blockedIdentifiers) };
    cache.set(settings, policy);
  }
  return policy;
}
