import { Hono, type ExecutionContext } from 'hono';
import type { Database } from '../db/database.ts';
import { createEventWriter, type EventWriter } from '../db/event-writer.ts';
import { openPostgres } from '../db/postgres.ts';
import { createApp } from '../http/app.ts';
import type { Services } from '../http/env.ts';

/**
 * Cloudflare Workers entry (wrangler.toml `main`). The same app as on Node; PostgreSQL through
 * the Hyperdrive binding. Migrations are not run here (no filesystem): apply them with
 * `npm run migrate` before deploying (docs/workers.md).
 */

/** The bindings this Worker uses; declared locally so the Node + DOM tsconfig type-checks. */
export interface WorkerEnv {
  HYPERDRIVE: { connectionString: string };
}

interface RequestServices {
  services: Services;
  /** Ends the client if this request opened one; undefined otherwise. */
  close(): Promise<void> | undefined;
}

/**
 * A postgres.js client exists only for one request, and only once a route touches the
 * database: a client kept at module scope fails on the next request ("Cannot perform I/O on
 * behalf of a different request"), and preflights or /health need none.
 */
function requestServices(connectionString: string): RequestServices {
  let database: Database | undefined;
  let writer: EventWriter | undefined;
  // The Hyperdrive string goes to postgres.js as it is: locally Miniflare points it at a
  // *.hyperdrive.local host, so it must never be taken apart.
  const open = (): Database => (database ??= openPostgres(connectionString, { max: 5, fetch_types: false }));
  return {
    services: {
      get db() {
        return open().db;
      },
      writeEvents(rows) {
        writer ??= createEventWriter(open());
        return writer.write(rows);
      },
    },
    close: () => database?.close(),
  };
}

type WorkerAppEnv = {
  Bindings: WorkerEnv;
  Variables: { services: Services };
};

// Module scope holds no I/O objects: only the routes and the key cache (plain data).
const app = new Hono<WorkerAppEnv>();

app.use('*', async (c, next) => {
  const request = requestServices(c.env.HYPERDRIVE.connectionString);
  c.set('services', request.services);
  try {
    await next();
  } finally {
    const closing = request.close();
    // The response is already decided; a failing end() must not surface as an unhandled rejection.
    if (closing) c.executionCtx.waitUntil(closing.catch(() => {}));
  }
});

app.route(
  '/',
  createApp({
    services: (c) => c.get('services'),
    // Cloudflare sets CF-Connecting-IP and CF-IPCountry itself; a client cannot forge them.
    trustEdgeHeaders: true,
  }),
);

export default {
  fetch(request: Request, env: WorkerEnv, ctx: ExecutionContext): Response | Promise<Response> {
    return app.fetch(request, env, ctx);
  },
};
