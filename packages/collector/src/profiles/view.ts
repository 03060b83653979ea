import type { ProfileRecord } from '../db/profile-queries.ts';
import type { MemberRow } from '../db/profile-store.ts';
import type { identityHistory, identityLinks } from '../db/schema.ts';
import { interestWeights } from './interests.ts';
import { lifecycle } from './lifecycle.ts';
import { rfmScores, type RfmBoundaries } from './rfm.ts';
import { buildProfile } from './build.ts';
import { decodeProfile } from './stored.ts';

const EMPTY = buildProfile([]);

type Member = MemberRow;
type LinkRow = typeof identityLinks.$inferSelect;
type HistoryRow = typeof identityHistory.$inferSelect;

/** Which lists an identifier appears in: a value can be both (untyped identifiers, R5). */
export function identifiersOf(members: Member[]) {
  const pick = (test: (m: Member) => boolean) => members.filter(test).map((m) => m.value).sort();
  return {
    userIds: pick((m) => m.asUser),
    anonymousIds: pick((m) => m.asAnonymous || (m.asPrevious && !m.asUser && !m.asEmail)),
    emails: pick((m) => m.asEmail),
  };
}

export interface ViewInput {
  profile: ProfileRecord;
  members: Member[];
  links: LinkRow[];
  history: HistoryRow[];
  rfm: RfmBoundaries;
  now: Date;
  lapseDays: number;
}

/** The profile as the API shows it: stored facts plus what depends on now and on the workspace. */
export function profileView({ profile, members, links, history, rfm, now, lapseDays }: ViewInput) {
  // A state is null only until the refresher has rebuilt the profile (after an upgrade).
  const facts = profile.state ? decodeProfile(profile.state, profile.traits).facts : { ...EMPTY, traits: profile.traits };
  return {
    id: profile.id,
    identifiers: identifiersOf(members),
    traits: profile.traits,
    firstSeen: facts.firstSeen,
    lastSeen: facts.lastSeen,
    lifecycle: lifecycle(facts, profile.known, now, lapseDays),
    stats: facts.stats,
    touchpoints: facts.touchpoints,
    initial: facts.initial,
    last: facts.last,
    purchases: facts.purchases,
    reactivity: facts.reactivity,
    interests: interestWeights(facts, now),
    rfm: rfmScores(profile, rfm),
    historicalValue: facts.historicalValue,
    merges: links
      .filter((l) => l.outcome !== 'unused' && l.outcome !== 'pending')
      .map((l) => ({ identifiers: [l.a, l.b], outcome: l.outcome, cause: { messageId: l.messageId, timestamp: l.at.toISOString(), alias: l.alias } })),
    history: history.map((h) => ({ kind: h.kind, profileId: h.profileId, otherProfileId: h.otherProfileId, identifiers: h.identifiers, causeMessageId: h.causeMessageId, at: h.at.toISOString() })),
    updatedAt: profile.updatedAt.toISOString(),
  };
}

export type ProfileView = ReturnType<typeof profileView>;
