// Protects the error contract: unknown routes and failures answer JSON, and a database error never puts query parameters (personal data) in the logs.
import { describe, expect, it } from 'vitest';
import { DrizzleQueryError } from 'drizzle-orm/errors';
import { createApp } from './app.ts';
import type { KeyOwner } from '../db/tenancy.ts';
import type { Db } from '../db/database.ts';

const owner: KeyOwner = { kind: 'write', workspaceId: 'ws_x', sourceId: 'src_x', allowedOrigins: [], settings: {}, hasSuppressions: false };

function failingApp(lines: string[]) {
  const cause = Object.assign(new Error('duplicate key value'), { code: '23505' });
  return createApp({
    services: () => ({
      db: {} as Db,
      writeEvents: () => Promise.reject(new DrizzleQueryError('insert into events ... lia@mail.it', ['lia@mail.it'], cause)),
    }),
    keys: { lookup: async () => owner, clear: () => {} },
    log: (line) => lines.push(line),
  });
}

describe('errors', () => {
  it('answers 500 with a JSON error and logs only the SQLSTATE', async () => {
    const lines: string[] = [];
    const res = await failingApp(lines).request('/v1/track?key=k', {
      method: 'POST',
      body: JSON.stringify({ userId: 'u', event: 'E', traits: { email: 'lia@mail.it' } }),
    });
    expect(res.status).toBe(500);
    expect(await res.json()).toEqual({ error: { code: 'internal', message: 'internal error; the request was not stored' } });
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain('23505');
    expect(lines[0]).not.toContain('lia@mail.it');
  });

  it('answers unknown routes with a JSON 404', async () => {
    const res = await failingApp([]).request('/v2/nothing');
    expect(res.status).toBe(404);
    expect(await res.json()).toMatchObject({ error: { code: 'not_found' } });
  });
});
