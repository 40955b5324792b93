/**
 * Browser mode: the renderer's build output and the dispatcher over HTTP on 127.0.0.1 only. Calls are
 * `POST /api/call` with `{method, args}`; pushes are Server-Sent Events on `GET /api/pushes` (no extra
 * package, and EventSource reconnects by itself). Every request passes `checkRequest` first; a refused one
 * gets an empty 403 and nothing else.
 *
 * Opening any page with `?token=T` sets an HttpOnly, SameSite=Strict cookie and redirects to the same
 * page without it, so the token leaves the address bar before anyone shares their screen.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { randomBytes, randomUUID } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { extname, join, resolve, sep } from 'node:path';
import type { AddressInfo } from 'node:net';
import type { Dispatcher } from './dispatcher.js';
import type { PushHub } from './push-hub.js';
import { checkRequest, cookieName } from './request-guard.js';
import { SECURITY_HEADERS } from './csp.js';

export interface BrowserServerOptions {
  dispatcher: Dispatcher;
  hub: PushHub;
  /** The vite build output (dist/renderer). */
  staticDir: string;
  port?: number;
  token?: string;
}

export interface BrowserServer {
  url: string;
  port: number;
  token: string;
  /** Ends every page's push stream; pages reconnect (after the SSE retry delay) and catch up. */
  disconnectPushes(): number;
  close(): Promise<void>;
}

const MAX_BODY = 20 * 1024 * 1024;
/** A page that stops reading its pushes is dropped rather than buffered without end; it reconnects. */
const MAX_SSE_BUFFER = 64 * 1024 * 1024;
const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml', '.png': 'image/png', '.ico': 'image/x-icon', '.json': 'application/json', '.woff2': 'font/woff2',
};

export async function startBrowserServer(opts: BrowserServerOptions): Promise<BrowserServer> {
  const token = opts.token ?? randomBytes(24).toString('base64url');
  const root = resolve(opts.staticDir);
  const clients = new Map<string, ReturnType<PushHub['add']>>();
  const streams = new Set<ServerResponse>();
  let port = 0;

  const server = createServer((req, res) => {
    handle(req, res).catch(() => { if (!res.headersSent) refuse(res, 500); else res.destroy(); });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const verdict = checkRequest({ url, headers: req.headers, port, token });
    if (!verdict.ok) return refuse(res, 403);
    if (verdict.tokenFromQuery && req.method === 'GET') {
      url.searchParams.delete('token');
      res.writeHead(303, {
        ...SECURITY_HEADERS,
        'Set-Cookie': `${cookieName(port)}=${token}; HttpOnly; SameSite=Strict; Path=/`,
        Location: url.pathname + url.search,
      });
      return void res.end();
    }
    if (url.pathname === '/api/call') return call(req, res);
    if (url.pathname === '/api/pushes' && req.method === 'GET') return pushes(req, res);
    if (req.method === 'GET' || req.method === 'HEAD') return serveStatic(url.pathname, res);
    refuse(res, 405);
  }

  async function call(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (req.method !== 'POST' || !String(req.headers['content-type'] ?? '').startsWith('application/json')) return refuse(res, 415);
    const body = await readBody(req);
    if (body === undefined) return refuse(res, 413);
    let message: unknown;
    try { message = JSON.parse(body); } catch { return json(res, 400, { error: { code: 'bad-args', message: 'body is not JSON' } }); }
    const { method, args } = (message ?? {}) as { method?: unknown; args?: unknown };
    const clientId = req.headers['x-imprint-client'];
    const sub = typeof clientId === 'string' ? clients.get(clientId) : undefined;
    const envelope = await opts.dispatcher.dispatch(method, args, {
      mode: 'browser',
      markReady: sub ? () => opts.hub.ready(sub) : undefined,
    });
    json(res, 200, envelope);
  }

  function pushes(req: IncomingMessage, res: ServerResponse): void {
    const id = randomUUID();
    res.writeHead(200, { ...SECURITY_HEADERS, 'Content-Type': 'text/event-stream; charset=utf-8', Connection: 'keep-alive' });
    // retry: how long a page waits before reconnecting a broken stream (it then catches up with run.events).
    res.write(`retry: 2000\nevent: hello\ndata: ${JSON.stringify({ client: id })}\n\n`);
    streams.add(res);
    const sub = opts.hub.add({
      send(channel, payload) {
        if (res.destroyed || res.writableLength > MAX_SSE_BUFFER) { res.destroy(); return false; }
        res.write(`data: ${JSON.stringify({ channel, payload })}\n\n`);
        return true;
      },
    });
    clients.set(id, sub);
    const keepAlive = setInterval(() => res.write(': keep-alive\n\n'), 15_000);
    req.on('close', () => { clearInterval(keepAlive); clients.delete(id); streams.delete(res); opts.hub.remove(sub); });
  }

  async function serveStatic(pathname: string, res: ServerResponse): Promise<void> {
    let rel: string;
    try { rel = decodeURIComponent(pathname); } catch { return refuse(res, 400); }
    let file = resolve(join(root, rel));
    if (file !== root && !file.startsWith(root + sep)) return refuse(res, 404);
    const info = await stat(file).catch(() => undefined);
    // The single-page app answers its own routes; unknown files with an extension are plain 404s.
    if (!info || info.isDirectory()) {
      if (extname(rel) !== '') return refuse(res, 404);
      file = join(root, 'index.html');
    }
    const data = await readFile(file).catch(() => undefined);
    if (!data) return refuse(res, 404);
    res.writeHead(200, { ...SECURITY_HEADERS, 'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream', 'Content-Length': data.length });
    res.end(data);
  }

  await new Promise<void>((ok, fail) => {
    server.once('error', fail);
    server.listen(opts.port ?? 0, '127.0.0.1', () => { server.off('error', fail); ok(); });
  });
  port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/?token=${token}`,
    port,
    token,
    disconnectPushes: () => { const n = streams.size; for (const r of streams) r.destroy(); return n; },
    close: () => new Promise<void>((ok) => { server.closeAllConnections(); server.close(() => ok()); }),
  };
}

function refuse(res: ServerResponse, status: number): void {
  res.writeHead(status, { ...SECURITY_HEADERS, 'Content-Length': 0, Connection: 'close' });
  res.end();
}

function json(res: ServerResponse, status: number, value: unknown): void {
  const body = Buffer.from(JSON.stringify(value));
  res.writeHead(status, { ...SECURITY_HEADERS, 'Content-Type': 'application/json', 'Content-Length': body.length });
  res.end(body);
}

function readBody(req: IncomingMessage): Promise<string | undefined> {
  return new Promise((ok, fail) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY) { ok(undefined); req.destroy(); return; }
      chunks.push(chunk);
    });
    req.on('end', () => ok(Buffer.concat(chunks).toString('utf8')));
    req.on('error', fail);
  });
}
