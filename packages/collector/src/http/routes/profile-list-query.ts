import { z } from 'zod';
import type { LifecycleStage, ProfileFilter } from '../../db/profile-list.ts';
import type { ProfileRecord } from '../../db/profile-queries.ts';
import { isoTimestamp } from '../../ingest/messages/common.ts';
import { decodeCursor, parseQuery } from './query.ts';

const stages = ['visitor', 'lead', 'new_customer', 'repeat_customer', 'at_risk', 'lapsed'] as const;

export const profileListQuery = z.object({
  lifecycle: z.enum(stages).optional(),
  lastSeenFrom: isoTimestamp.optional(),
  lastSeenTo: isoTimestamp.optional(),
  hasPurchased: z.enum(['true', 'false']).optional(),
  channel: z.string().min(1).optional(),
  source: z.string().min(1).optional(),
  q: z.string().min(1).max(255).optional(),
  sort: z.enum(['lastSeen', 'value']).default('lastSeen'),
  limit: z.coerce.number().int().min(1).max(500).default(50),
  cursor: z.string().optional(),
});

type ListQuery = Omit<ProfileFilter, 'workspaceId' | 'lapseDays'>;

/** GET /v1/profiles parameters; `trait.<key>=<value>` filters on trait equality. */
export function listQuery(url: string): ListQuery {
  const params = new URL(url).searchParams;
  const plain: Record<string, string> = {};
  const traits: Record<string, string> = {};
  for (const [key, value] of params) {
    if (key.startsWith('trait.') && key.length > 6) traits[key.slice(6)] = value;
    else plain[key] = value;
  }
  const query = parseQuery(profileListQuery, plain);
  return {
    lifecycle: query.lifecycle as LifecycleStage | undefined,
    traits,
    lastSeenFrom: query.lastSeenFrom ? new Date(query.lastSeenFrom) : undefined,
    lastSeenTo: query.lastSeenTo ? new Date(query.lastSeenTo) : undefined,
    hasPurchased: query.hasPurchased === undefined ? undefined : query.hasPurchased === 'true',
    channel: query.channel,
    source: query.source,
    q: query.q,
    sort: query.sort,
    limit: query.limit,
    after: query.cursor
      ? decodeCursor(query.cursor, (v) => ({ value: (v.value as string | number | null) ?? null, id: String(v.id) }))
      : undefined,
  };
}

export const CSV_HEADER = 'id,lifecycle,first_seen,last_seen,events,orders,revenue,email,name\n';

function csvField(value: unknown): string {
  const text = value === null || value === undefined ? '' : value instanceof Date ? value.toISOString() : String(value);
  // A leading =, +, - or @ would run as a formula in spreadsheets.
  const safe = /^[=+\-@]/.test(text) ? `'${text}` : text;
  return /[",\n\r]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

export function toCsvRow(p: ProfileRecord, lifecycle: string): string {
  const traits = p.traits as Record<string, unknown>;
  return `${[p.id, lifecycle, p.firstSeen, p.lastSeen, p.events, p.orders, p.revenue, traits.email, traits.name].map(csvField).join(',')}\n`;
}
