import { parseArgs } from 'node:util';
import { readConfig } from '../runtime/config.ts';
import { openNodeDatabase } from '../runtime/open-database.ts';
import { addSource, createWorkspace, listTenancy, rotateKey } from '../tenancy/tenancy.ts';
import { updateSettings } from '../db/tenancy.ts';
import type { WorkspaceSettings } from '../db/schema.ts';

const USAGE = `usage: npm run vista -- <command>

  migrate                                   apply pending migrations
  workspace create <name> [--truncate-ip]   new workspace; prints its secret key once
  workspace set <workspaceId> [--lapse-days N] [--email-identity on|off] [--ip drop|truncate]
                [--block VALUE ...]         change settings (blocked values: exact, or /regex/flags);
                                            they apply to messages received from then on
  source add <workspaceId> <name> [--origin https://shop.example ...]
                                            new source; prints its write key once
  key rotate <sourceId | workspaceId>       replace a write key (source) or secret key (workspace)
  list                                      workspaces, sources and key hints

Uses DATABASE_URL when set, else the PGlite folder VISTA_DATA_DIR (default .vista); stop
a collector that uses the same PGlite folder first.`;

function fail(message: string): never {
  console.error(`${message}\n\n${USAGE}`);
  process.exit(2);
}

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    origin: { type: 'string', multiple: true },
    'truncate-ip': { type: 'boolean' },
    'lapse-days': { type: 'string' },
    'email-identity': { type: 'string' },
    ip: { type: 'string' },
    block: { type: 'string', multiple: true },
    help: { type: 'boolean' },
  },
});
if (values.help || positionals.length === 0) {
  console.log(USAGE);
  process.exit(0);
}

const [command, sub, ...rest] = positionals;
const known =
  command === 'migrate' ||
  command === 'list' ||
  (command === 'workspace' && sub === 'create' && rest[0]) ||
  (command === 'workspace' && sub === 'set' && rest[0]) ||
  (command === 'source' && sub === 'add' && rest[0] && rest[1]) ||
  (command === 'key' && sub === 'rotate' && rest[0]);
if (!known) fail(`unknown command: ${positionals.join(' ')}`);

function settingsChange(): Partial<WorkspaceSettings> {
  const change: Partial<WorkspaceSettings> = {};
  if (values['lapse-days'] !== undefined) {
    const days = Number(values['lapse-days']);
    if (!Number.isInteger(days) || days < 1) fail('--lapse-days takes a whole number of days');
    change.lapseDays = days;
  }
  const email = values['email-identity'];
  if (email !== undefined) {
    if (email !== 'on' && email !== 'off') fail('--email-identity takes on or off');
    change.emailIdentity = email === 'on';
  }
  if (values.ip !== undefined) {
    if (values.ip !== 'drop' && values.ip !== 'truncate') fail('--ip takes drop or truncate');
    change.ipMode = values.ip;
  }
  if (values.block) change.blockedIdentifiers = values.block;
  if (Object.keys(change).length === 0) fail('workspace set needs at least one setting');
  return change;
}
const change = command === 'workspace' && sub === 'set' ? settingsChange() : {};

const config = readConfig();
const database = await openNodeDatabase(config).catch((error: unknown) => {
  console.error(`vista: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
const { db } = database;
try {
  if (command === 'migrate') {
    console.log('migrations applied');
  } else if (command === 'workspace' && sub === 'set' && rest[0]) {
    const settings = await updateSettings(db, rest[0], change);
    if (!settings) throw new Error(`no workspace ${rest[0]}`);
    console.log(`workspace ${rest[0]} settings: ${JSON.stringify(settings)}\n(collectors pick them up within 30 s)`);
  } else if (command === 'workspace' && rest[0]) {
    const ws = await createWorkspace(db, rest.join(' '), values['truncate-ip'] ? { ipMode: 'truncate' } : {});
    console.log(`workspace ${ws.id} "${ws.name}"\nsecret key: ${ws.secretKey}\n(store it now: it is not shown again)`);
  } else if (command === 'source' && rest[0]) {
    const source = await addSource(db, rest[0], rest.slice(1).join(' '), values.origin ?? []);
    console.log(`source ${source.id} "${source.name}" in ${source.workspaceId}\nwrite key: ${source.writeKey}\n(store it now: it is not shown again)`);
  } else if (command === 'key' && rest[0]) {
    const issued = await rotateKey(db, rest[0]);
    console.log(`new ${issued.kind} key for ${issued.ownerId}: ${issued.key}\n(the old key no longer works; collectors forget cached keys within 30 s)`);
  } else {
    for (const ws of await listTenancy(db)) {
      console.log(`workspace ${ws.id} "${ws.name}" secret ${ws.secretKeys.map((k) => k.hint).join(', ') || '(none)'} settings ${JSON.stringify(ws.settings)}`);
      for (const s of ws.sources) {
        const origins = s.allowedOrigins.length ? ` origins ${s.allowedOrigins.join(' ')}` : '';
        console.log(`  source ${s.id} "${s.name}" write ${s.writeKeys.map((k) => k.hint).join(', ') || '(none)'}${origins}`);
      }
    }
  }
} catch (error) {
  console.error(`vista: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
} finally {
  await database.close();
}
