import { sql } from 'drizzle-orm';
import type { StoredProfile } from '../profiles/stored.ts';
import {
  bigint,
  boolean,
  doublePrecision,
  index,
  integer,
  json,
  jsonb,
  pgSequence,
  pgTable,
  primaryKey,
  text,
  timestamp,
} from 'drizzle-orm/pg-core';

/** Per-workspace switches; every field optional so old rows keep working as settings grow. */
export interface WorkspaceSettings {
  /** How the client IP is kept: never (default) or truncated to /24 (IPv4) and /48 (IPv6). */
  ipMode?: 'drop' | 'truncate';
  /** Whether `traits.email` joins identities (R8); on by default. */
  emailIdentity?: boolean;
  /** Extra values that never act as identifiers (R6): exact strings, or /regex/flags. */
  blockedIdentifiers?: string[];
  /** Days without activity after which a profile is `lapsed`; 180 by default. */
  lapseDays?: number;
}

export const workspaces = pgTable('workspaces', {
  id: text('id').primaryKey(),
  name: text('name').notNull(),
  settings: jsonb('settings').$type<WorkspaceSettings>().notNull().default({}),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});

export const sources = pgTable(
  'sources',
  {
    id: text('id').primaryKey(),
    workspaceId: text('workspace_id')
      .notNull()
      .references(() => workspaces.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    /** Origins allowed to send from a browser; empty means any origin. */
    allowedOrigins: jsonb('allowed_origins').$type<string[]>().notNull().default([]),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('sources_workspace_idx').on(t.workspaceId)],
);

/**
 * Write keys belong to a source and can only write; secret keys belong to a workspace and can
 * read and delete. Only a SHA-256 of each key is kept; `hint` is its first characters, so a
 * listing can tell keys apart without revealing them.
 */
export const apiKeys = pgTable(
  'api_keys',
  {
    hash: text('hash').primaryKey(),
    kind: text('kind').$type<'write' | 'secret'>().notNull(),
    workspaceId: text('workspace_id')
      .notNull()
      .references(() => workspaces.id, { onDelete: 'cascade' }),
    sourceId: text('source_id').references(() => sources.id, { onDelete: 'cascade' }),
    hint: text('hint').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
  },
  (t) => [index('api_keys_workspace_idx').on(t.workspaceId)],
);

export const events = pgTable(
  'events',
  {
    workspaceId: text('workspace_id').notNull(),
    messageId: text('message_id').notNull(),
    /** Insertion order, for "newest first" listing with a stable cursor. */
    seq: bigint('seq', { mode: 'number' }).generatedAlwaysAsIdentity().notNull(),
    sourceId: text('source_id').notNull(),
    type: text('type').notNull(),
    event: text('event'),
    name: text('name'),
    anonymousId: text('anonymous_id'),
    userId: text('user_id'),
    /** The identify email as an identifier (trimmed, lower-cased), when email identity is on. */
    email: text('email'),
    /** The identifier whose profile owns the event (R14): userId, else anonymousId; null for alias. */
    ownerId: text('owner_id'),
    previousId: text('previous_id'),
    groupId: text('group_id'),
    timestamp: timestamp('timestamp', { withTimezone: true }).notNull(),
    originalTimestamp: text('original_timestamp'),
    sentAt: timestamp('sent_at', { withTimezone: true }),
    receivedAt: timestamp('received_at', { withTimezone: true }).notNull(),
    url: text('url'),
    path: text('path'),
    referrer: text('referrer'),
    referrerHost: text('referrer_host'),
    utmSource: text('utm_source'),
    utmMedium: text('utm_medium'),
    utmCampaign: text('utm_campaign'),
    utmTerm: text('utm_term'),
    utmContent: text('utm_content'),
    clickIdType: text('click_id_type'),
    clickId: text('click_id'),
    channel: text('channel').notNull(),
    browser: text('browser'),
    browserVersion: text('browser_version'),
    engine: text('engine'),
    os: text('os'),
    osVersion: text('os_version'),
    deviceType: text('device_type'),
    deviceVendor: text('device_vendor'),
    deviceModel: text('device_model'),
    country: text('country'),
    ip: text('ip'),
    isBot: boolean('is_bot').notNull().default(false),
    properties: jsonb('properties').$type<Record<string, unknown>>(),
    traits: jsonb('traits').$type<Record<string, unknown>>(),
    context: jsonb('context').$type<Record<string, unknown>>(),
    /**
     * Set when the person was erased (R19): the row keeps only its messageId and times, so the
     * id stays seen (R4) and a retry cannot bring the message back.
     */
    erasedAt: timestamp('erased_at', { withTimezone: true }),
  },
  (t) => [
    primaryKey({ name: 'events_pkey', columns: [t.workspaceId, t.messageId] }),
    index('events_workspace_seq_idx').on(t.workspaceId, t.seq.desc()),
    index('events_workspace_anonymous_idx')
      .on(t.workspaceId, t.anonymousId)
      .where(sql`${t.anonymousId} is not null`),
    index('events_workspace_user_idx')
      .on(t.workspaceId, t.userId)
      .where(sql`${t.userId} is not null`),
    index('events_workspace_timestamp_idx').on(t.workspaceId, t.timestamp),
    // A profile's journey reads each owner's events in time order.
    index('events_workspace_owner_time_idx').on(t.workspaceId, t.ownerId, t.timestamp).where(sql`${t.ownerId} is not null`),
  ],
);

/**
 * One row per identifier value (R5: untyped; the same string as anonymousId and userId is one
 * identifier). `profileId` is the profile it belongs to now; `selfId` the id its profile had
 * if it stood alone, so the ids of absorbed profiles keep resolving (R18).
 */
export const identities = pgTable(
  'identities',
  {
    workspaceId: text('workspace_id').notNull(),
    value: text('value').notNull(),
    selfId: text('self_id').notNull(),
    profileId: text('profile_id').notNull(),
    asAnonymous: boolean('as_anonymous').notNull().default(false),
    asUser: boolean('as_user').notNull().default(false),
    asEmail: boolean('as_email').notNull().default(false),
    asPrevious: boolean('as_previous').notNull().default(false),
    /** R9: the userId of some accepted non-alias message. */
    known: boolean('known').notNull().default(false),
    /** The earliest message carrying the value, in canonical order (R1, R18). */
    firstAt: timestamp('first_at', { withTimezone: true }).notNull(),
    firstMessageId: text('first_message_id').notNull(),
  },
  (t) => [
    primaryKey({ name: 'identities_pkey', columns: [t.workspaceId, t.value] }),
    index('identities_profile_idx').on(t.workspaceId, t.profileId),
    index('identities_self_idx').on(t.workspaceId, t.selfId),
  ],
);

/** An edge between two identifiers carried by one message (R10): a pair, or an alias. */
export const identityLinks = pgTable(
  'identity_links',
  {
    workspaceId: text('workspace_id').notNull(),
    messageId: text('message_id').notNull(),
    /** Position of the pair within its message: pairs of one message apply in this order. */
    position: integer('position').notNull(),
    a: text('a').notNull(),
    b: text('b').notNull(),
    at: timestamp('at', { withTimezone: true }).notNull(),
    alias: boolean('alias').notNull(),
    /** What the last grouping did with it: merged, merge_conflict, identity_limit, or unused. */
    outcome: text('outcome').notNull().default('pending'),
  },
  (t) => [
    primaryKey({ name: 'identity_links_pkey', columns: [t.workspaceId, t.messageId, t.position] }),
    index('identity_links_a_idx').on(t.workspaceId, t.a),
    index('identity_links_b_idx').on(t.workspaceId, t.b),
  ],
);

/** Membership changes as they happened (history, unlike the links' outcomes, which are state). */
export const identityHistory = pgTable(
  'identity_history',
  {
    id: bigint('id', { mode: 'number' }).generatedAlwaysAsIdentity().primaryKey(),
    workspaceId: text('workspace_id').notNull(),
    profileId: text('profile_id').notNull(),
    kind: text('kind').$type<'merge' | 'split'>().notNull(),
    otherProfileId: text('other_profile_id').notNull(),
    identifiers: jsonb('identifiers').$type<string[]>().notNull(),
    causeMessageId: text('cause_message_id'),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('identity_history_profile_idx').on(t.workspaceId, t.profileId),
    index('identity_history_other_idx').on(t.workspaceId, t.otherProfileId),
  ],
);

/** The behavioural profile, recomputed from its events whenever they or its members change. */
export const profiles = pgTable(
  'profiles',
  {
    workspaceId: text('workspace_id').notNull(),
    id: text('id').notNull(),
    known: boolean('known').notNull(),
    identifierCount: integer('identifier_count').notNull(),
    firstSeen: timestamp('first_seen', { withTimezone: true }),
    lastSeen: timestamp('last_seen', { withTimezone: true }),
    events: integer('events').notNull(),
    orders: integer('orders').notNull(),
    revenue: doublePrecision('revenue').notNull(),
    lastOrderAt: timestamp('last_order_at', { withTimezone: true }),
    averageDaysBetweenOrders: doublePrecision('average_days_between_orders'),
    traits: jsonb('traits').$type<Record<string, unknown>>().notNull(),
    /**
     * Every fact and where the fold over the events stands, compactly (profiles/stored.ts); null
     * until rebuilt. `json`, not `jsonb`: it is written and read whole, once per touch, and
     * PostgreSQL stores json as sent where jsonb is parsed into a tree (5x the CPU, measured).
     */
    state: json('state').$type<StoredProfile>(),
    /** The channels and sources of its touchpoints, for the list's filters: reading them out of the json state would parse every state. */
    channels: text('channels').array().notNull().default(sql`'{}'::text[]`),
    sources: text('sources').array().notNull().default(sql`'{}'::text[]`),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ name: 'profiles_pkey', columns: [t.workspaceId, t.id] }),
    index('profiles_last_seen_idx').on(t.workspaceId, t.lastSeen.desc(), t.id),
    index('profiles_revenue_idx').on(t.workspaceId, t.revenue.desc(), t.id),
    // RFM ranks a customer among the workspace's customers on every read: keep that to an index.
    index('profiles_customers_idx').on(t.workspaceId, t.lastOrderAt, t.orders, t.revenue).where(sql`${t.orders} > 0`),
  ],
);

/**
 * Profiles a catch-up must treat apart from their events (those are in profile_groups): members
 * changed (rebuild), their summary changed (recount), touched without an event, or a late event
 * met by a background cycle (rebuild, later). Written in the transaction that decides it and
 * cleared in the one that saves the row, so a crash between the two loses nothing. Rows are only
 * ever inserted (never updated): an ingest group never waits on a catch-up that holds a profile's
 * earlier rows. Catch-ups of one profile are kept apart by an advisory lock on it (db/profile-dirty.ts).
 */
export const profileDirty = pgTable(
  'profile_dirty',
  {
    workspaceId: text('workspace_id').notNull(),
    profileId: text('profile_id').notNull(),
    /** When the row was queued (profile_dirty_batch, shared with profile_groups): a cycle takes the rows queued before it began. 0 for rows from migrations. */
    batch: bigint('batch', { mode: 'number' }).notNull().default(0),
    markedAt: timestamp('marked_at', { withTimezone: true }).notNull().defaultNow(),
    /** Members changed, or a catch-up met a late event: only a rebuild from all events is right. */
    rebuild: boolean('rebuild').notNull().default(true),
    /** Unused since profile_groups (migration 0010) carries the events; kept for rows from before. */
    sinceMs: bigint('since_ms', { mode: 'number' }),
    /** Unused since migration 0010, as `sinceMs`. */
    pending: integer('pending').notNull().default(0),
    /** Its members' facts changed (one became known or an email, or new identifiers joined): count them again. */
    recount: boolean('recount').notNull().default(false),
  },
  (t) => [primaryKey({ name: 'profile_dirty_pkey', columns: [t.workspaceId, t.profileId, t.batch] })],
);

/** One value per ingest group that queues profiles (profile_groups and profile_dirty share it). */
export const profileDirtyBatch = pgSequence('profile_dirty_batch');

/**
 * One row per ingest group that stored events with an owner: the range of `events.seq` it drew
 * and the profiles owning them. Ingest writes one row per group, not one per profile, and the
 * refresher reads each profile's events of the range (profiles/README.md). A refresher leases rows for its cycle and
 * deletes them when every profile is saved; an expired lease (its process died) is taken over.
 */
export const profileGroups = pgTable(
  'profile_groups',
  {
    batch: bigint('batch', { mode: 'number' }).primaryKey(),
    workspaceId: text('workspace_id').notNull(),
    seqFrom: bigint('seq_from', { mode: 'number' }).notNull(),
    seqTo: bigint('seq_to', { mode: 'number' }).notNull(),
    /** [profile id, earliest instant (epoch ms)] for each profile owning events of the group: a cycle needs no read to find them. */
    profiles: json('profiles').$type<[string, number][]>().notNull().default([]),
    markedAt: timestamp('marked_at', { withTimezone: true }).notNull().defaultNow(),
    lease: text('lease'),
    leasedUntil: timestamp('leased_until', { withTimezone: true }),
  },
);

/** A set of identifier values per workspace, kept with when each was added. */
function identifierSet(name: string) {
  return pgTable(
    name,
    {
      workspaceId: text('workspace_id').notNull(),
      value: text('value').notNull(),
      createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    },
    (t) => [primaryKey({ name: `${name}_pkey`, columns: [t.workspaceId, t.value] })],
  );
}

/** R20: identifiers of erased people; messages carrying them are dropped or stripped. */
export const suppressions = identifierSet('suppressions');

/** R13: identifiers an admin detached; no link touching them is applied. */
export const identityUnlinks = identifierSet('identity_unlinks');

export const schema = { workspaces, sources, apiKeys, events, identities, identityLinks, identityHistory, profiles, suppressions, identityUnlinks, profileDirty };
export type Schema = typeof schema;
export type EventRow = typeof events.$inferInsert;
