import { Hono, type Context } from 'hono';
import { stream } from 'hono/streaming';
import { z } from 'zod';
import type { Db } from '../../db/database.ts';
import { listProfiles, type ProfileFilter } from '../../db/profile-list.ts';
import * as q from '../../db/profile-queries.ts';
import { membersOf } from '../../db/profile-store.ts';
import { normaliseEmail } from '../../identity/identifiers.ts';
import { profileView } from '../../profiles/view.ts';
import { refreshProfiles } from '../../profiles/refresh.ts';
import { regroup } from '../../identity/regroup.ts';
import { lockWorkspace } from '../../db/identity-store.ts';
import { addUnlink, eraseProfile, planErasure } from '../../db/erasure.ts';
import { secretKey } from '../auth.ts';
import type { AppEnv } from '../env.ts';
import { HttpError } from '../errors.ts';
import { presentEvent } from './present-event.ts';
import { decodeCursor, encodeCursor, parseQuery } from './query.ts';
import { listQuery, toCsvRow, CSV_HEADER } from './profile-list-query.ts';

const lapseDaysOf = (c: Context<AppEnv>) => c.var.owner.settings.lapseDays ?? 180;

async function view(c: Context<AppEnv>, id: string, found?: q.ProfileRecord) {
  const db = c.var.services.db;
  const ws = c.var.owner.workspaceId;
  // Queries keyed by the id run in parallel on the pool; links need the members' values.
  const [profile, members, history, rfm] = await Promise.all([
    found ?? q.findProfile(db, ws, id),
    membersOf(db, ws, [id]),
    q.historyOfProfile(db, ws, id),
    c.var.rfm.boundaries(db, ws),
  ]);
  if (!profile) return null;
  const links = await q.linksOfProfile(db, ws, members.map((m) => m.value));
  return profileView({ profile, members, links, history, rfm, now: new Date(), lapseDays: lapseDaysOf(c) });
}

async function settleOne(c: Context<AppEnv>, id: string): Promise<void> {
  const services = c.var.services;
  if (services.settleProfilesOf) await services.settleProfilesOf(c.var.owner.workspaceId, [id]);
  else await services.settleProfiles?.();
}

/** The current id for `id`: itself, or the survivor that absorbed it (R18). */
async function currentId(db: Db, workspaceId: string, id: string): Promise<string> {
  if (await q.findProfile(db, workspaceId, id)) return id;
  const survivor = await q.survivorOf(db, workspaceId, id);
  if (!survivor) throw new HttpError(404, 'not_found', `no profile ${id}`);
  return survivor;
}

export const resolveQuery = z
  .object({ userId: z.string().min(1).optional(), anonymousId: z.string().min(1).optional(), email: z.string().min(1).optional() })
  .refine((v) => Object.values(v).filter(Boolean).length === 1, 'give exactly one of userId, anonymousId, email');

export const journeyQuery = z.object({
  limit: z.coerce.number().int().min(1).max(500).default(100),
  cursor: z.string().optional(),
});

export function profileRoutes() {
  const app = new Hono<AppEnv>();
  app.use('/v1/profiles', secretKey());
  app.use('/v1/profiles/*', secretKey());
  // Read-your-writes: what a 2xx acknowledged is in the profiles read after it. A list waits for
  // every queued profile; a route about one profile for that profile only (settleOne), before it
  // asks whether the id is current: a queued catch-up may remove it (absorbed) or create it (new).
  app.get('/v1/profiles/resolve', async (c) => {
    const query = parseQuery(resolveQuery, c.req.query());
    const value = query.email !== undefined ? normaliseEmail(query.email) : (query.userId ?? query.anonymousId)!.trim();
    const id = value ? await q.profileIdOfValue(c.var.services.db, c.var.owner.workspaceId, value) : null;
    if (id) await settleOne(c, id);
    const profile = id ? await view(c, id) : null;
    if (!profile) throw new HttpError(404, 'not_found', 'no profile holds this identifier');
    return c.json(profile);
  });

  app.get('/v1/profiles/:id', async (c) => {
    const asked = c.req.param('id');
    const db = c.var.services.db;
    const ws = c.var.owner.workspaceId;
    await settleOne(c, asked);
    const found = await q.findProfile(db, ws, asked);
    const id = found ? asked : await currentId(db, ws, asked);
    if (id !== asked) await settleOne(c, id);
    const profile = await view(c, id, found ?? undefined);
    if (!profile) throw new HttpError(404, 'not_found', `no profile ${asked}`);
    return c.json(id === asked ? profile : { ...profile, resolvedFrom: asked, absorbed: true });
  });

  app.get('/v1/profiles/:id/events', async (c) => {
    const query = parseQuery(journeyQuery, c.req.query());
    const ws = c.var.owner.workspaceId;
    await settleOne(c, c.req.param('id'));
    const id = await currentId(c.var.services.db, ws, c.req.param('id'));
    const after = query.cursor ? decodeCursor(query.cursor, (v) => ({ at: new Date(String(v.at)), messageId: String(v.messageId) })) : undefined;
    const { rows, next } = await q.profileEvents(c.var.services.db, ws, id, query.limit, after);
    return c.json({ profileId: id, data: rows.map(presentEvent), nextCursor: next ? encodeCursor({ at: next.at.toISOString(), messageId: next.messageId }) : null });
  });

  app.get('/v1/profiles', async (c) => {
    await c.var.services.settleProfiles?.();
    const filter: ProfileFilter = { ...listQuery(c.req.url), workspaceId: c.var.owner.workspaceId, lapseDays: lapseDaysOf(c) };
    const accept = c.req.header('accept') ?? '';
    const format = accept.includes('text/csv') ? 'csv' : accept.includes('application/x-ndjson') ? 'ndjson' : 'json';
    const db = c.var.services.db;
    if (format === 'json') {
      const { rows, next } = await listProfiles(db, filter);
      return c.json({
        data: rows.map(({ profile, lifecycle }) => ({ id: profile.id, lifecycle, traits: profile.traits, firstSeen: profile.firstSeen, lastSeen: profile.lastSeen, events: profile.events, orders: profile.orders, revenue: profile.revenue, identifiers: profile.identifierCount })),
        nextCursor: next ? encodeCursor(next) : null,
      });
    }
    c.header('content-type', format === 'csv' ? 'text/csv; charset=utf-8' : 'application/x-ndjson');
    return stream(c, async (out) => {
      if (format === 'csv') await out.write(CSV_HEADER);
      let page: ProfileFilter = { ...filter, limit: 1000 };
      for (;;) {
        const { rows, next } = await listProfiles(db, page);
        const lines = rows.map(({ profile, lifecycle }) => (format === 'csv' ? toCsvRow(profile, lifecycle) : `${JSON.stringify({ id: profile.id, lifecycle, traits: profile.traits, firstSeen: profile.firstSeen, lastSeen: profile.lastSeen, events: profile.events, orders: profile.orders, revenue: profile.revenue })}\n`));
        await out.write(lines.join(''));
        if (!next) break;
        page = { ...page, after: next };
      }
    });
  });

  app.delete('/v1/profiles/:id', async (c) => {
    const { dryRun } = parseQuery(z.object({ dryRun: z.enum(['true', 'false']).default('false') }), c.req.query());
    const ws = c.var.owner.workspaceId;
    const db = c.var.services.db;
    await settleOne(c, c.req.param('id'));
    const plan = await db.transaction(async (tx) => {
      await lockWorkspace(tx, ws);
      const found = await planErasure(tx, ws, await currentId(tx, ws, c.req.param('id')));
      if (found && dryRun === 'false') await eraseProfile(tx, ws, found);
      return found;
    });
    if (!plan) throw new HttpError(404, 'not_found', `no profile ${c.req.param('id')}`);
    if (dryRun === 'false') c.var.keys.clear();
    return c.json({ dryRun: dryRun === 'true', erased: dryRun === 'false', ...plan, suppressed: plan.identifiers });
  });

  app.post('/v1/profiles/:id/unlink', async (c) => {
    const body = unlinkBody.safeParse(await c.req.json().catch(() => null));
    if (!body.success) throw new HttpError(400, 'invalid_body', 'send {"identifier": "<a value of this profile>"}', { field: 'identifier' });
    const ws = c.var.owner.workspaceId;
    const db = c.var.services.db;
    await settleOne(c, c.req.param('id'));
    const result = await db.transaction(async (tx) => {
      await lockWorkspace(tx, ws);
      const id = await currentId(tx, ws, c.req.param('id'));
      if ((await q.profileIdOfValue(tx, ws, body.data.identifier)) !== id) return null;
      await addUnlink(tx, ws, body.data.identifier);
      const { affected, profileOf } = await regroup(tx, ws, [body.data.identifier]);
      await refreshProfiles(tx, ws, affected);
      return { profileId: profileOf.get(body.data.identifier)!, from: id };
    });
    if (!result) throw new HttpError(404, 'not_found', `${body.data.identifier} is not an identifier of profile ${c.req.param('id')}`);
    return c.json({ identifier: body.data.identifier, profileId: result.profileId, previousProfileId: result.from });
  });

  return app;
}

const unlinkBody = z.object({ identifier: z.string().min(1) });
