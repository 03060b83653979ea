import { Hono } from 'hono';
import { listSuppressions, unsuppress } from '../../db/erasure.ts';
import { secretKey } from '../auth.ts';
import type { AppEnv } from '../env.ts';
import { HttpError } from '../errors.ts';

/** R20: erased identifiers stay suppressed until a marketer explicitly lifts it. */
export function suppressionRoutes() {
  const app = new Hono<AppEnv>();
  app.use('/v1/suppressions', secretKey());
  app.use('/v1/suppressions/*', secretKey());
  app.get('/v1/suppressions', async (c) => {
    const rows = await listSuppressions(c.var.services.db, c.var.owner.workspaceId);
    return c.json({ data: rows });
  });
  app.delete('/v1/suppressions/:value', async (c) => {
    const value = c.req.param('value');
    if (!(await unsuppress(c.var.services.db, c.var.owner.workspaceId, value))) {
      throw new HttpError(404, 'not_found', `${value} is not suppressed`);
    }
    c.var.keys.clear();
    return c.json({ value, suppressed: false });
  });
  return app;
}
