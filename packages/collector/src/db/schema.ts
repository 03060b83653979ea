import { sql } from 'drizzle-orm';
import {
  bigint,
  boolean,
  index,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
} from 'drizzle-orm/pg-core';

/** Per-workspace switches; every field optional so old rows keep working as settings grow. */
export interface WorkspaceSettings {
  /** How the client IP is kept: never (default) or truncated to /24 (IPv4) and /48 (IPv6). */
  ipMode?: 'drop' | 'truncate';
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
  ],
);

export const schema = { workspaces, sources, apiKeys, events };
export type Schema = typeof schema;
export type EventRow = typeof events.$inferInsert;
