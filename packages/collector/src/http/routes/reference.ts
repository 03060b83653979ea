import { Hono } from 'hono';
import { openApiDocument } from '../openapi/document.ts';
import { referencePage } from '../openapi/page.ts';

export function referenceRoutes() {
  const app = new Hono();
  let doc: Record<string, unknown> | undefined;
  const document = () => (doc ??= openApiDocument());
  app.get('/openapi.json', (c) => c.json(document()));
  app.get('/docs', (c) => c.html(referencePage(document())));
  return app;
}
