// A stand-in for the collector in browser tests: one node:http server that serves test pages and
// the built tracker, and accepts batches at the ingest path (text/plain JSON {batch, sentAt},
// key in ?key=), recording each message once by messageId, as the real collector deduplicates.
// It can go "offline" (connections reset, or 503). Tests assert only on received(), so this
// module can be swapped for the real collector later.
import { readFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { ensureBuilt, scriptPath } from '../../../packages/tracker/src/ensure-built';

/** A received Segment message (the fields tests look at). */
export interface Message {
  type: string;
  messageId: string;
  anonymousId: string;
  userId?: string | null;
  event?: string;
  name?: string;
  properties?: Record<string, unknown>;
  traits?: Record<string, unknown>;
  context: Record<string, unknown> & { page?: Record<string, unknown> };
  timestamp: string;
  sentAt: string;
  previousId?: string;
  groupId?: string;
}

export interface Harness {
  /** http://127.0.0.1:port */
  origin: string;
  /** The same server as another site: http://localhost:port */
  altOrigin: string;
  /** Serves `html` and returns its URL on `origin`. */
  page(html: string): string;
  /** Messages received so far, each once, in arrival order. */
  received(): Promise<Message[]>;
  /** Write keys seen with batches. */
  keys(): string[];
  /** Offline: batches are refused, by resetting the connection or (how = 'unavailable') with 503. */
  setOffline(offline: boolean, how?: 'reset' | 'unavailable'): void;
  close(): Promise<void>;
}

export async function startHarness({ ingestPath = '/v1/batch' } = {}): Promise<Harness> {
  ensureBuilt();
  const pages: string[] = [];
  const messages = new Map<string, Message>();
  const keys = new Set<string>();
  let offline: false | 'reset' | 'unavailable' = false;

  const server = http.createServer((req, res) => {
    const url = new URL(req.url!, 'http://x');
    res.setHeader('access-control-allow-origin', '*');
    if (req.method == 'POST' && url.pathname == ingestPath) {
      if (offline == 'reset') return req.socket.destroy();
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        if (offline) return res.writeHead(503).end();
        try {
          const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { batch: Message[] };
          keys.add(url.searchParams.get('key') ?? '');
          for (const m of body.batch) if (!messages.has(m.messageId)) messages.set(m.messageId, m);
          res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
        } catch {
          res.writeHead(400).end();
        }
      });
      return;
    }
    if (url.pathname == '/v.js') return res.writeHead(200, { 'content-type': 'text/javascript' }).end(readFileSync(scriptPath));
    const n = /^\/p\/(\d+)/.exec(url.pathname)?.[1];
    const html = n == null ? '<!doctype html><title>other</title><p>other page</p>' : pages[+n];
    res.writeHead(html == null ? 404 : 200, { 'content-type': 'text/html' }).end(html ?? '');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const origin = `http://127.0.0.1:${port}`;

  return {
    origin,
    altOrigin: `http://localhost:${port}`,
    page: (html) => `${origin}/p/${pages.push(html) - 1}`,
    received: async () => [...messages.values()],
    keys: () => [...keys],
    setOffline: (on, how = 'reset') => {
      offline = on && how;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
