import { sql } from 'drizzle-orm';
import { textArray } from './bulk.ts';
import { rowsOf, type Db } from './database.ts';
import type { StoredIdentity, StoredLink } from './identity-store.ts';

/** Everything connected to some seeds: the set whose grouping they may change, with what regrouping it needs. */
export interface Component {
  /** The seeds and every identifier reachable from them through links. */
  values: Set<string>;
  /** Every link touching them. */
  links: StoredLink[];
  /** Their stored identities. */
  members: Map<string, StoredIdentity>;
  /** Those of them unlinked (R13): their links take no part. */
  unlinked: Set<string>;
}

type Row =
  | { kind: 'l'; row: [string, number, string, string, string, boolean, string] }
  | { kind: 'i'; row: [string, string, string, boolean, boolean, boolean, boolean, boolean, string, string] }
  | { kind: 'u'; row: [string] };

/**
 * The connected set of the seeds in one statement: the walk (recursive, not a round trip per
 * step), its links, its members' identities and unlinks, each row tagged with its kind. Under
 * the workspace lock a round trip saved is a round trip every other group waits less.
 */
export async function loadComponent(db: Db, workspaceId: string, seeds: Iterable<string>): Promise<Component> {
  const values = new Set(seeds);
  const out: Component = { values, links: [], members: new Map(), unlinked: new Set() };
  if (values.size === 0) return out;
  const result = await db.execute(sql`
    with recursive reached(v) as (
      select unnest(${textArray([...values])})
      union
      select n.v from reached r cross join lateral (
        select l.b as v from identity_links l where l.workspace_id = ${workspaceId} and l.a = r.v
        union all
        select l.a from identity_links l where l.workspace_id = ${workspaceId} and l.b = r.v
      ) n
    ), member as materialized (select v from reached)
    select 'l' as kind, json_build_array(l.message_id, l.position, l.a, l.b, l.at, l.alias, l.outcome) as row from identity_links l
    where l.workspace_id = ${workspaceId} and (l.a in (select v from member) or l.b in (select v from member))
    union all
    select 'i', json_build_array(i.value, i.self_id, i.profile_id, i.as_anonymous, i.as_user, i.as_email, i.as_previous, i.known, i.first_at, i.first_message_id)
    from identities i where i.workspace_id = ${workspaceId} and i.value in (select v from member)
    union all
    select 'u', json_build_array(u.value) from identity_unlinks u where u.workspace_id = ${workspaceId} and u.value in (select v from member)`);
  for (const r of rowsOf<Row>(result)) {
    // postgres.js and PGlite parse json; a driver that hands text back still works.
    const row = (typeof r.row === 'string' ? JSON.parse(r.row) : r.row) as Row['row'];
    if (r.kind === 'l') {
      const [messageId, position, a, b, at, alias, outcome] = row as Extract<Row, { kind: 'l' }>['row'];
      out.links.push({ messageId, position: Number(position), a, b, at: new Date(at).getTime(), alias, outcome });
      values.add(a).add(b);
    } else if (r.kind === 'i') {
      const [value, selfId, profileId, asAnonymous, asUser, asEmail, asPrevious, known, firstAt, firstMessageId] = row as Extract<Row, { kind: 'i' }>['row'];
      out.members.set(value, { value, selfId, profileId, asAnonymous, asUser, asEmail, asPrevious, known, first: { at: new Date(firstAt).getTime(), messageId: firstMessageId } });
    } else out.unlinked.add((row as Extract<Row, { kind: 'u' }>['row'])[0]);
  }
  return out;
}
