import type { Db } from '../db/database.ts';
import { markRebuild, type DirtyProfile } from '../db/profile-dirty.ts';
import { countThrough, eventsInSpan, type FoldPoint } from '../db/profile-groups.ts';
import { loadProfileStates, type StoredProfileState } from '../db/profile-state.ts';
import { parseEvent, profileEventsSince, type ReadEvent } from '../db/profile-events.ts';
import { membersOf, saveProfiles, type ProfileRow } from '../db/profile-store.ts';
import { sortsAfter } from './canonical.ts';
import { continueFold } from './build.ts';
import { profileRow, refreshProfiles, summarizeMembers } from './refresh.ts';
import { SLICE, yieldToOthers } from './yield.ts';
import type { ProfileState } from './types.ts';

/**
 * Where a catch-up looks for a profile's new events: in a cycle's span of queued groups (from
 * each profile's earliest instant there), after each profile's fold (a read, which must see
 * everything), or nowhere (markers alone: a recount, or a rebuild that reads all anyway).
 */
export type Candidates =
  | { kind: 'span'; since: ReadonlyMap<string, number>; span: { from: number; to: number } }
  | { kind: 'after-fold' }
  | { kind: 'none' };

export interface CatchUpOptions {
  /** Background cycles mark a profile with a late event for a rebuild later (one rebuild then covers many); reads rebuild at once. */
  deferRebuilds: boolean;
}

/** What became of the profiles of one catch-up. */
export interface CatchUpOutcome {
  /** Events folded onto the stored fold. */
  folded: number;
  /** Nothing new for them: every event met was already folded. */
  unchanged: number;
  rebuilt: number;
  /** Left to a rebuild later (a late event in a background cycle). */
  deferred: number;
}

const foldPointOf = (state: ProfileState | null): FoldPoint | null =>
  state?.fold.lastMs != null && state.fold.lastMessageId !== null ? { ms: state.fold.lastMs, messageId: state.fold.lastMessageId } : null;

/** R1 order against a fold point; only an event at the point's very instant is parsed, for its messageId. */
const follows = (e: ReadEvent, point: FoldPoint) => (e.ms === point.ms ? sortsAfter(e.ms, parseEvent(e).messageId, point) : e.ms > point.ms);

/**
 * Brings one workspace's profiles up to date; the caller holds their locks. A stored fold only
 * ever moves forward: the events met that sort after it are folded on; an event met at or before
 * it is either folded already (its group was read by an earlier catch-up) or late. The count of
 * the profile's events up to the fold point tells which: equal to the events folded, nothing is
 * missing; else only a rebuild from all its events is right. Members changed (a rebuild marker)
 * or no usable state: a rebuild too.
 */
export async function catchUpProfiles(db: Db, workspaceId: string, profileIds: readonly string[], marks: readonly DirtyProfile[], candidates: Candidates, options: CatchUpOptions): Promise<CatchUpOutcome> {
  const markOf = new Map(marks.map((m) => [m.profileId, m]));
  const ids = [...new Set([...profileIds, ...markOf.keys()])];
  const open = ids.filter((id) => !markOf.get(id)?.rebuild);
  const since = candidates.kind === 'span' ? new Map(open.flatMap((id) => {
    const ms = candidates.since.get(id);
    return ms === undefined ? [] : [[id, ms] as const];
  })) : new Map<string, number>();
  const [stored, members, spanned] = await Promise.all([
    loadProfileStates(db, workspaceId, open),
    membersOf(db, workspaceId, open),
    candidates.kind === 'span' ? eventsInSpan(db, workspaceId, since, candidates.span) : Promise.resolve([]),
  ]);
  // A read counts every folded profile anyway (to find late events still queued): sent with its read of what follows the folds.
  const points = candidates.kind === 'after-fold' ? foldPoints(stored) : null;
  const [found, readCounts] = points ? await Promise.all([afterFolds(db, workspaceId, points), countThrough(db, workspaceId, points)]) : [spanned, null];
  const eventsOf = Map.groupBy(found, (e) => e.profileId);
  const counted = summarizeMembers(members);

  const rebuild = ids.filter((id) => markOf.get(id)?.rebuild);
  const late: string[] = [];
  type Plan = { id: string; prior: ProfileState | null; after: readonly ReadEvent[]; write: boolean };
  const plans: Plan[] = [];
  const toCount = new Map<string, FoldPoint>();
  for (const id of open) {
    const s = stored.get(id);
    const prior = s?.state ?? null;
    const events = eventsOf.get(id) ?? [];
    const summaryChanged = markOf.get(id)?.recount === true || s?.stored !== true;
    // No members left (absorbed), or a row without a usable state: only a rebuild is right.
    if (!counted.has(id) || (s?.stored === true && prior === null)) {
      rebuild.push(id);
      continue;
    }
    const point = foldPointOf(prior);
    if (point === null) {
      // Nothing folded yet: a span's events start it; elsewhere, a rebuild reads them all anyway.
      if (candidates.kind === 'span' && events.length > 0) plans.push({ id, prior, after: events, write: true });
      else rebuild.push(id);
      continue;
    }
    const after = events.filter((e) => follows(e, point));
    // A read must also find late events still queued; a cycle, only where it met one at or before the fold.
    if (after.length < events.length || candidates.kind === 'after-fold') toCount.set(id, point);
    plans.push({ id, prior, after, write: after.length > 0 || summaryChanged });
  }
  const counts = readCounts ?? (await countThrough(db, workspaceId, toCount));

  const rows: ProfileRow[] = [];
  let folded = 0;
  let unchanged = 0;
  for (const [i, plan] of plans.entries()) {
    if (i % SLICE.profiles === SLICE.profiles - 1) await yieldToOthers();
    const point = toCount.get(plan.id);
    if (point !== undefined && counts.get(plan.id) !== plan.prior!.facts.stats.events) {
      late.push(plan.id);
      continue;
    }
    if (!plan.write) {
      unchanged++;
      continue;
    }
    const next = continueFold(plan.prior, plan.after.map(parseEvent));
    if (next === null) {
      late.push(plan.id);
      continue;
    }
    folded += plan.after.length;
    rows.push(profileRow(plan.id, next, summaryOf(plan.id, stored.get(plan.id), markOf.get(plan.id), counted)));
  }
  const deferred = options.deferRebuilds ? late : [];
  if (!options.deferRebuilds) rebuild.push(...late);
  await Promise.all([saveProfiles(db, workspaceId, rows), refreshProfiles(db, workspaceId, rebuild), markRebuild(db, workspaceId, deferred)]);
  return { folded, unchanged, rebuilt: rebuild.length, deferred: deferred.length };
}

/** A stored row's member summary holds unless identity said otherwise, or there is no row yet. */
function summaryOf(id: string, s: StoredProfileState | undefined, mark: DirtyProfile | undefined, counted: ReturnType<typeof summarizeMembers>) {
  const keep = s?.stored === true && mark?.recount !== true ? s.summary : null;
  return keep ?? counted.get(id)!;
}

function foldPoints(stored: ReadonlyMap<string, StoredProfileState>): Map<string, FoldPoint> {
  return new Map([...stored].flatMap(([id, s]) => {
    const point = foldPointOf(s.state);
    return point ? [[id, point] as const] : [];
  }));
}

/** Every event of each folded profile after its fold point, read from the database. */
async function afterFolds(db: Db, workspaceId: string, points: ReadonlyMap<string, FoldPoint>): Promise<ReadEvent[]> {
  if (points.size === 0) return [];
  const loaded = await profileEventsSince(db, workspaceId, new Map([...points].map(([id, p]) => [id, p.ms])));
  return loaded.filter((e) => follows(e, points.get(e.profileId)!));
}
