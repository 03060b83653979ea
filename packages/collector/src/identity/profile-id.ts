/**
 * A profile's id is derived from its oldest identifier (R18), so every process computes the
 * same id for the same set of events, and the id a value had alone keeps resolving after merges.
 */
export async function profileIdOf(workspaceId: string, value: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(`${workspaceId}\u0000${value}`));
  const hex = Array.from(new Uint8Array(digest).slice(0, 12), (b) => b.toString(16).padStart(2, '0')).join('');
  return `prof_${hex}`;
}
