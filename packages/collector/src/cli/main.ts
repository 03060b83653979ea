import { parseArgs } from 'node:util';
import { readConfig } from '../runtime/config.ts';
import { openNodeDatabase } from '../runtime/open-database.ts';
import { addSource, createWorkspace, listTenancy, rotateKey } from '../tenancy/tenancy.ts';

const USAGE = `usage: npm run vista -- <command>

  migrate                                   apply pending migrations
  workspace create <name> [--truncate-ip]   new workspace; prints its secret key once
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
  options: { origin: { type: 'string', multiple: true }, 'truncate-ip': { type: 'boolean' }, help: { type: 'boolean' } },
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
  (command === 'source' && sub === 'add' && rest[0] && rest[1]) ||
  (command === 'key' && sub === 'rotate' && rest[0]);
if (!known) fail(`unknown command: ${positionals.join(' ')}`);

const config = readConfig();
const database = await openNodeDatabase(config).catch((error: unknown) => {
  console.error(`vista: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
const { db } = database;
try {
  if (command === 'migrate') {
    console.log('migrations applied');
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
      console.log(`workspace ${ws.id} "${ws.name}" secret ${ws.secretKeys.map((k) => k.hint).join(', ') || '(none)'}`);
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
