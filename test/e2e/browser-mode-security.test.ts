/**
 * Browser mode answers only its own page: a request without the session token, or naming a foreign Host
 * (DNS rebinding) or Origin (another site in the same browser), gets an empty 403. Real HTTP on loopback.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { mkdtemp, writeFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Dispatcher } from '../../electron/server/dispatcher.js';
import { PushHub } from '../../electron/server/push-hub.js';
import { startBrowserServer, type BrowserServer } from '../../electron/server/http-server.js';

let server: BrowserServer;
let dir: string;
let statusCalls = 0;

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'imprint-serve-'));
  await writeFile(join(dir, 'index.html'), '<!doctype html><title>Imprint</title>');
  await writeFile(join(dir, 'secret.txt'), 'outside');
  const dispatcher = new Dispatcher();
  dispatcher.register('engine.status', () => { statusCalls++; return { connected: true, version: '20.10' }; });
  dispatcher.register('ui.ready', (_args, caller) => { caller.markReady?.(); return { mode: 'browser', workspace: dir, version: 'test' }; });
  server = await startBrowserServer({ dispatcher, hub: new PushHub(10), staticDir: dir });
});
after(async () => { await server.close(); await rm(dir, { recursive: true, force: true }); });

interface Reply { status: number; headers: Record<string, string | string[] | undefined>; body: string }

function send(path: string, headers: Record<string, string> = {}, method = 'GET', body?: string): Promise<Reply> {
  return new Promise((ok, fail) => {
    const req = request({ host: '127.0.0.1', port: server.port, path, method, headers: { Host: `127.0.0.1:${server.port}`, ...headers } }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => { text += c; });
      res.on('end', () => ok({ status: res.statusCode ?? 0, headers: res.headers, body: text }));
    });
    req.on('error', fail);
    if (body) req.write(body);
    req.end();
  });
}

const callBody = JSON.stringify({ method: 'engine.status', args: {} });
const jsonHeaders = () => ({ 'Content-Type': 'application/json', 'X-Imprint-Token': server.token });

test('the printed URL carries a long random token and binds to 127.0.0.1', () => {
  assert.match(server.url, /^http:\/\/127\.0\.0\.1:\d+\/\?token=[A-Za-z0-9_-]{32}$/);
});

test('without the token nothing answers: page, assets, API and pushes are all an empty 403', async () => {
  for (const path of ['/', '/index.html', '/api/pushes', '/?token=wrong']) {
    const r = await send(path);
    assert.equal(r.status, 403, path);
    assert.equal(r.body, '', path);
  }
  const before = statusCalls;
  const r = await send('/api/call', { 'Content-Type': 'application/json' }, 'POST', callBody);
  assert.equal(r.status, 403);
  assert.equal(statusCalls, before, 'the handler must not run');
});

test('the token in the URL becomes an HttpOnly SameSite cookie and leaves the address bar', async () => {
  const r = await send(`/?token=${server.token}`);
  assert.equal(r.status, 303);
  assert.equal(r.headers.location, '/');
  const cookie = String(r.headers['set-cookie']);
  assert.match(cookie, /HttpOnly/);
  assert.match(cookie, /SameSite=Strict/);
  const page = await send('/', { Cookie: cookie.split(';')[0]! });
  assert.equal(page.status, 200);
  assert.match(page.body, /<title>Imprint/);
  assert.match(String(page.headers['content-security-policy']), /script-src 'self'/);
  assert.doesNotMatch(String(page.headers['content-security-policy']), /unsafe/);
});

test('a foreign Host header (DNS rebinding) is refused even with the token', async () => {
  for (const host of ['evil.example:80', `evil.example:${server.port}`, `127.0.0.1.evil.example:${server.port}`, '127.0.0.1:1']) {
    const r = await send('/api/call', { ...jsonHeaders(), Host: host }, 'POST', callBody);
    assert.equal(r.status, 403, host);
    assert.equal(r.body, '');
  }
  const ok = await send('/api/call', { ...jsonHeaders(), Host: `localhost:${server.port}` }, 'POST', callBody);
  assert.equal(ok.status, 200);
});

test('a foreign Origin or a cross-site fetch is refused even with the token', async () => {
  for (const extra of <Record<string, string>[]>[{ Origin: 'http://evil.example' }, { Origin: 'null' }, { Origin: `http://127.0.0.1:${server.port + 1}` }, { 'Sec-Fetch-Site': 'cross-site' }]) {
    const r = await send('/api/call', { ...jsonHeaders(), ...extra }, 'POST', callBody);
    assert.equal(r.status, 403, JSON.stringify(extra));
  }
  const same = await send('/api/call', { ...jsonHeaders(), Origin: `http://127.0.0.1:${server.port}` }, 'POST', callBody);
  assert.deepEqual(JSON.parse(same.body), { result: { connected: true, version: '20.10' } });
});

test('calls come back in envelopes; unknown methods and bad arguments are errors, not crashes', async () => {
  const unknown = await send('/api/call', jsonHeaders(), 'POST', JSON.stringify({ method: 'constructor', args: {} }));
  assert.equal(JSON.parse(unknown.body).error.code, 'bad-method');
  const bad = await send('/api/call', jsonHeaders(), 'POST', JSON.stringify({ method: 'engine.status', args: { extra: 1 } }));
  assert.equal(JSON.parse(bad.body).error.code, 'bad-args');
  const missing = await send('/api/call', jsonHeaders(), 'POST', JSON.stringify({ method: 'images.list', args: {} }));
  assert.equal(JSON.parse(missing.body).error.code, 'unavailable');
  const notJson = await send('/api/call', jsonHeaders(), 'POST', '{');
  assert.equal(notJson.status, 400);
});

test('static files never leave the renderer folder', async () => {
  const r = await send('/..%2f..%2fetc%2fpasswd', { 'X-Imprint-Token': server.token });
  assert.notEqual(r.status, 200);
  const r2 = await send('/../../etc/passwd', { 'X-Imprint-Token': server.token });
  assert.doesNotMatch(r2.body, /root:/);
});
