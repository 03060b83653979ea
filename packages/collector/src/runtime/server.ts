import { serve } from '@hono/node-server';
import { getConnInfo } from '@hono/node-server/conninfo';
import { createApp } from '../http/app.ts';
import type { NodeConfig } from './config.ts';
import { ensureDemo } from './demo.ts';
import { nodeServices } from './node-services.ts';
import { openNodeDatabase } from './open-database.ts';
import { readTrackerScript } from './tracker-script.ts';

/** One collector process: the app on @hono/node-server with its database pool. */
export async function runServer(config: NodeConfig, announce: boolean): Promise<void> {
  const database = await openNodeDatabase(config);
  const services = nodeServices(database, { profiles: config.profiles, refresherThread: config.databaseUrl ? { databaseUrl: config.databaseUrl } : undefined });
  const demo = config.demo ? await ensureDemo(database.db, config.dataDir) : null;
  const script = readTrackerScript();
  const app = createApp({
    tracker: script ? { script, path: config.scriptPath } : undefined,
    ingestPath: config.ingestPath,
    demo: demo && script ? { ...demo, scriptPath: config.scriptPath, services: () => services } : undefined,
    services: () => services,
    clientIp: (c) => getConnInfo(c).remote.address ?? null,
    trustEdgeHeaders: config.trustProxyHeaders,
  });

  const server = serve({ fetch: app.fetch, port: config.port, hostname: config.host }, (info) => {
    // With PORT=0 the port is known only now.
    config.publicUrl = process.env.VISTA_PUBLIC_URL ? config.publicUrl : `http://localhost:${info.port}`;
    const where = config.databaseUrl ? 'PostgreSQL (DATABASE_URL)' : `embedded PGlite in ${config.dataDir}`;
    const lines = [`Vista collector on ${config.publicUrl} (port ${info.port}), storing in ${where}`];
    if (demo) {
      lines.push(
        `  demo workspace ${demo.workspaceId}, source ${demo.sourceId}`,
        `  write key:  ${demo.writeKey}`,
        demo.created ? `  secret key: ${demo.secretKey}  (shown once; kept in ${config.dataDir}/demo-keys.json)` : `  secret key: in ${config.dataDir}/demo-keys.json`,
        `  demo page:  ${config.publicUrl}/demo/   (tracker script: ${config.publicUrl}${config.scriptPath})`,
        `  send:       curl -u ${demo.writeKey}: ${config.publicUrl}/v1/track -H 'content-type: application/json' -d '{"userId":"u1","event":"Hello"}'`,
        `  watch:      curl -H "authorization: Bearer $SECRET_KEY" ${config.publicUrl}/v1/events`,
      );
    }
    if (!script) lines.push('  (no tracker build found: run `npm run build` to serve the script and the demo page)');
    if (announce) console.log(lines.join('\n'));
  });

  let stopping = false;
  async function stop() {
    if (stopping) return;
    stopping = true;
    // Let in-flight requests finish (their writes commit) before the database goes away.
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      if ('closeIdleConnections' in server) server.closeIdleConnections();
      setTimeout(resolve, 5_000).unref();
    });
    await services.close?.();
    await database.close();
    process.exit(0);
}
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
}
