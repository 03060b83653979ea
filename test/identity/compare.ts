// Normalises identity states so that equal states compare equal, and renders a readable diff.

import { compareBytes, normaliseTimestamp, sortedBytes, stableJson } from './canonical.ts';
import type { ReferenceProfile } from './reference.ts';

/** Sorted identifiers and messageIds, traits with sorted keys (deep), ISO timestamps; profiles sorted. */
export function normaliseProfiles(profiles: readonly ReferenceProfile[]): ReferenceProfile[] {
  return profiles
    .map((p) => ({
      identifiers: sortedBytes(p.identifiers),
      messageIds: sortedBytes(p.messageIds),
      traits: JSON.parse(stableJson(p.traits ?? {})) as Record<string, unknown>,
      firstSeen: p.firstSeen === null ? null : normaliseTimestamp(p.firstSeen),
      lastSeen: p.lastSeen === null ? null : normaliseTimestamp(p.lastSeen),
    }))
    .sort((a, b) => compareBytes(stableJson(a.identifiers), stableJson(b.identifiers)));
}

const label = (p: ReferenceProfile): string => `{${p.identifiers.join(', ')}}`;

/**
 * An empty string when the two lists of profiles are equal after normalisation; otherwise a diff
 * that names profiles by their identifiers:
 *   - {a, b}        only in expected
 *   + {a}           only in actual
 *   ~ {a, b} traits expected {...} actual {...}
 */
export function diffProfiles(expected: readonly ReferenceProfile[], actual: readonly ReferenceProfile[]): string {
  const want = normaliseProfiles(expected);
  const got = normaliseProfiles(actual);
  const lines: string[] = [];
  const byKey = (ps: ReferenceProfile[]): Map<string, ReferenceProfile> => new Map(ps.map((p) => [stableJson(p.identifiers), p]));
  const wantByKey = byKey(want);
  const gotByKey = byKey(got);
  if (wantByKey.size !== want.length) lines.push('! expected has two profiles with the same identifiers');
  if (gotByKey.size !== got.length) lines.push('! actual has two profiles with the same identifiers');

  for (const [key, w] of wantByKey) {
    const g = gotByKey.get(key);
    if (!g) {
      lines.push(`- ${label(w)} only in expected: ${stableJson(w)}`);
      continue;
    }
    for (const field of ['messageIds', 'traits', 'firstSeen', 'lastSeen'] as const) {
      const a = stableJson(w[field]);
      const b = stableJson(g[field]);
      if (a !== b) lines.push(`~ ${label(w)} ${field}: expected ${a} actual ${b}`);
    }
  }
  for (const [key, g] of gotByKey) if (!wantByKey.has(key)) lines.push(`+ ${label(g)} only in actual: ${stableJson(g)}`);

  // Identifier-level hints: where each misplaced identifier went.
  const ownerOf = (ps: ReferenceProfile[]): Map<string, string> => new Map(ps.flatMap((p) => p.identifiers.map((id) => [id, label(p)] as const)));
  const wantOwner = ownerOf(want);
  const gotOwner = ownerOf(got);
  for (const id of sortedBytes(new Set([...wantOwner.keys(), ...gotOwner.keys()]))) {
    const a = wantOwner.get(id);
    const b = gotOwner.get(id);
    if (a !== b) lines.push(`  identifier ${JSON.stringify(id)}: expected in ${a ?? '(none)'}, actual in ${b ?? '(none)'}`);
  }
  const idCount = (ps: ReferenceProfile[]): number => ps.reduce((n, p) => n + p.identifiers.length, 0);
  if (idCount(got) !== gotOwner.size) lines.push('! actual has an identifier in two profiles');
  return lines.join('\n');
}
