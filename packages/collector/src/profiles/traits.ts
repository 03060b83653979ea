import type { Timed } from './canonical.ts';
import { compareUtf8 } from './canonical.ts';
import type { ProfileEvent } from './types.ts';
import { isRecord, plainJson } from './values.ts';

interface TraitOps {
  setOnce: [string, unknown][];
  set: [string, unknown][];
  unset: string[];
}

const NONE: TraitOps = { setOnce: [], set: [], unset: [] };

function entries(v: unknown): [string, unknown][] {
  return isRecord(v) ? Object.entries(v) : [];
}

function keys(v: unknown): string[] {
  return Array.isArray(v) ? v.filter((k): k is string => typeof k === 'string') : [];
}

/**
 * R15: identify traits set keys, with `$set_once`/`$unset` as operators inside them; every
 * other message may use the three operators under `properties`, but plain properties are
 * event data, not traits. `context.traits` is a client-side echo of old traits and would
 * resurrect unset keys, so it is never read.
 */
export function traitOps(event: ProfileEvent): TraitOps {
  if (event.type === 'identify') {
    const t = event.traits;
    if (!isRecord(t)) return NONE;
    return {
      setOnce: entries(t.$set_once),
      set: Object.entries(t).filter(([k]) => k !== '$set_once' && k !== '$unset'),
      unset: keys(t.$unset),
    };
  }
  const p = event.properties;
  if (!isRecord(p)) return NONE;
  return { setOnce: entries(p.$set_once), set: entries(p.$set), unset: keys(p.$unset) };
}

/**
 * R16 fold in canonical order, within a message set_once, then set, then unset. The result per
 * key equals the closed form (after the last unset: latest set, else earliest set_once), so
 * it depends on event times and never on arrival. A Map keeps keys like `__proto__` as data.
 * `prior` continues an earlier fold whose events all sort before these.
 */
export function foldTraits(events: readonly Timed[], prior: Record<string, unknown> = {}): Record<string, unknown> {
  const traits = new Map<string, unknown>(Object.entries(prior));
  for (const { event } of events) {
    const ops = traitOps(event);
    for (const [k, v] of ops.setOnce) if (!traits.has(k)) traits.set(k, v);
    for (const [k, v] of ops.set) traits.set(k, v);
    for (const k of ops.unset) traits.delete(k);
  }
  // Sorted so the stored JSON is byte-identical whatever fold path produced it.
  return Object.fromEntries([...traits].sort(([a], [b]) => compareUtf8(a, b)).map(([k, v]) => [k, plainJson(v)]));
}
