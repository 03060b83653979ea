import cluster from 'node:cluster';
import { readConfig } from './config.ts';
import { ensureDemo } from './demo.ts';
import { openNodeDatabase } from './open-database.ts';
import { runServer } from './server.ts';

/**
 * `npm start`. With PostgreSQL, VISTA_PROCESSES=N runs N collector processes sharing the port
 * (node:cluster), since one Node thread is the ingest bottleneck; the first prepares the
 * database (migrations, demo) so the others do not race to. PGlite allows one process.
 */
const config = readConfig();
if (config.processes > 1 && !config.databaseUrl) {
  console.error('VISTA_PROCESSES > 1 needs DATABASE_URL: embedded PGlite serves one process');
  process.exit(2);
}
if (config.processes > 1 && cluster.isPrimary) {
  const database = await openNodeDatabase(config);
  if (config.demo) await ensureDemo(database.db, config.dataDir);
  await database.close();
  let first = true;
  for (let i = 0; i < config.processes; i++) {
    // Only the first process prints the banner (with keys); the rest serve silently.
    cluster.fork({ VISTA_ANNOUNCE: first ? '1' : '0' });
    first = false;
  }
  const stop = () => {
    for (const worker of Object.values(cluster.workers ?? {})) worker?.process.kill('SIGTERM');
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  cluster.on('exit', () => {
    if (Object.keys(cluster.workers ?? {}).length === 0) process.exit(0);
  });
} else {
  await runServer(config, process.env.VISTA_ANNOUNCE !== '0');
}
